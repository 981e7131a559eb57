import { defineError } from './base.js';

/** Model providers (`models:` block, `mxcp evals`) and eval suites. No message ever includes an API key. */
export const modelErrors = {
  MXCP_E_MODEL_NOT_CONFIGURED: defineError<{ detail: string }>(
    'MXCP_E_MODEL_NOT_CONFIGURED',
    (p) => `No model to run the evals with: ${p.detail}`,
  ),
  MXCP_E_MODEL_NO_PROVIDER: defineError<{ model: string; type: string }>(
    'MXCP_E_MODEL_NO_PROVIDER',
    (p) => `Model '${p.model}' has type '${p.type}', which no model-provider plugin serves (built in: claude, openai)`,
  ),
  MXCP_E_MODEL_API_KEY_MISSING: defineError<{ model: string }>(
    'MXCP_E_MODEL_API_KEY_MISSING',
    (p) => `Model '${p.model}' has no api_key in the user config (models.models.${p.model}.api_key, e.g. "\${ANTHROPIC_API_KEY}")`,
  ),
  MXCP_E_MODEL_HTTP: defineError<{ provider: string; status: number; detail: string; attempts: number }>(
    'MXCP_E_MODEL_HTTP',
    (p) => `${p.provider} API answered HTTP ${p.status} after ${p.attempts} attempt(s): ${p.detail}`,
  ),
  MXCP_E_MODEL_TIMEOUT: defineError<{ provider: string; seconds: number; attempts: number }>(
    'MXCP_E_MODEL_TIMEOUT',
    (p) => `${p.provider} API did not answer within ${p.seconds} s (${p.attempts} attempt(s))`,
  ),
  MXCP_E_MODEL_UNREACHABLE: defineError<{ provider: string; url: string; detail: string }>(
    'MXCP_E_MODEL_UNREACHABLE',
    (p) => `Cannot reach the ${p.provider} API at ${p.url}: ${p.detail}`,
  ),
  MXCP_E_MODEL_BAD_RESPONSE: defineError<{ provider: string; detail: string }>(
    'MXCP_E_MODEL_BAD_RESPONSE',
    (p) => `${p.provider} API sent a response mxcp cannot read: ${p.detail}`,
  ),
  MXCP_E_EVAL_SUITE_NOT_FOUND: defineError<{ suite: string; known: string }>(
    'MXCP_E_EVAL_SUITE_NOT_FOUND',
    (p) => `Eval suite '${p.suite}' not found (suites: ${p.known || 'none'})`,
  ),
  MXCP_E_EVAL_SUITE_INVALID: defineError<{ detail: string }>(
    'MXCP_E_EVAL_SUITE_INVALID',
    (p) => `Eval suite validation error: ${p.detail}`,
  ),
};
