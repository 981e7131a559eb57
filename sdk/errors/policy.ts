import { defineError } from './base.js';

/**
 * Policies (`policies.input` / `policies.output` of an endpoint, CEL conditions). Compile problems are
 * endpoint errors found by `validate` and every generation build; denials are what a caller sees.
 */
export const policyErrors = {
  MXCP_E_POLICY_SYNTAX: defineError<{ where: string; condition: string; detail: string }>(
    'MXCP_E_POLICY_SYNTAX',
    (p) => `Policy ${p.where} condition '${p.condition}' is not valid CEL: ${p.detail}`,
  ),
  MXCP_E_POLICY_UNKNOWN_VARIABLE: defineError<{ where: string; condition: string; name: string; known: string }>(
    'MXCP_E_POLICY_UNKNOWN_VARIABLE',
    (p) => `Policy ${p.where} condition '${p.condition}' uses unknown variable '${p.name}' (available: ${p.known})`,
  ),
  MXCP_E_POLICY_FIELDS_REQUIRED: defineError<{ where: string; action: string }>(
    'MXCP_E_POLICY_FIELDS_REQUIRED',
    (p) => `Policy ${p.where} with action '${p.action}' needs a non-empty 'fields' list`,
  ),
  MXCP_E_POLICY_DENIED: defineError<{ reason: string }>('MXCP_E_POLICY_DENIED', (p) => `Policy enforcement failed: ${p.reason}`),
  MXCP_E_POLICY_OUTPUT_DENIED: defineError<{ reason: string }>(
    'MXCP_E_POLICY_OUTPUT_DENIED',
    (p) => `Output policy enforcement failed: ${p.reason}`,
  ),
  MXCP_E_POLICY_EVAL_FAILED: defineError<{ where: string; detail: string }>(
    'MXCP_E_POLICY_EVAL_FAILED',
    (p) => `Policy enforcement failed: policy ${p.where} could not be evaluated (${p.detail}); denied, as policies fail closed`,
  ),
};
