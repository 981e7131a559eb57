/**
 * The request pipeline, the same for MCP calls, `mxcp run` and `mxcp test`:
 *
 *   look up → convert/validate parameters → execute (or render the prompt)
 *           → shape the result by `return.type` → validate the output → result
 *
 * with the endpoint's policies around the middle: input rules see the converted parameters (defaults
 * applied), output rules the validated result. Audit wraps this (audited-invoke.ts) and reads the policy
 * decision from `options.notes`. The pipeline only throws coded errors.
 */

import { Errors } from '../../sdk/errors/index.js';
import type { ExecutionContext } from '../../sdk/execution-context.js';
import type { CompiledEndpoint } from '../generation/compiled-endpoint.js';
import type { Generation } from '../generation/generation.js';
import { toCel } from '../policy/cel-condition.js';
import type { PolicyNotes } from '../policy/endpoint-policies.js';
import type { EndpointKind } from '../registry/types.js';
import { validateOutput } from '../types/output-validation.js';
import { shapeResult } from '../types/result-shaping.js';

export interface InvokeOptions {
  readonly skipOutputValidation?: boolean;
  /** Filled with the policy decision and reason, for the audit record. */
  readonly notes?: PolicyNotes;
}

/**
 * Policies apply to every served call (anonymous when no one signed in); the CLI applies them only when
 * given a user context (`run --user-context`, a test's `user_context`), as MXCP does.
 */
function policiesApply(context: ExecutionContext): boolean {
  return context.user !== undefined || !context.transport.startsWith('cli');
}

export function lookupEndpoint(generation: Generation, kind: EndpointKind, name: string): CompiledEndpoint {
  const endpoint = generation.endpoint(kind, name);
  if (!endpoint) throw new Errors.MXCP_E_ENDPOINT_NOT_FOUND({ name, kind }, { location: { path: name } });
  return endpoint;
}

export async function invokeEndpoint(
  endpoint: CompiledEndpoint,
  raw: Readonly<Record<string, unknown>>,
  context: ExecutionContext,
  options: InvokeOptions = {},
): Promise<unknown> {
  const params = endpoint.convert(raw);
  const policies = endpoint.policies && policiesApply(context) ? endpoint.policies : undefined;
  const notes = options.notes ?? {};
  policies?.enforceInput(toCel(params) as Record<string, unknown>, context.user, notes);
  if (endpoint.prompt) return endpoint.prompt.render(params);
  if (!endpoint.executor || !endpoint.executable) {
    throw new Errors.MXCP_E_ENDPOINT_NO_EXECUTOR({ language: endpoint.entry.source?.language ?? 'unknown' });
  }
  const result = await endpoint.executor.execute(endpoint.executable, params, context);
  if (!endpoint.returns) return policies ? policies.enforceOutput(result, context.user, notes) : result;
  const shaped = shapeResult(result, endpoint.returns);
  if (!options.skipOutputValidation) validateOutput(shaped, endpoint.returns);
  return policies ? policies.enforceOutput(shaped, context.user, notes) : shaped;
}
