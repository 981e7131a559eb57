/**
 * The request pipeline, the same for MCP calls, `mxcp run` and `mxcp test`:
 *
 *   look up → convert/validate parameters → execute (or render the prompt)
 *           → shape the result by `return.type` → validate the output → result
 *
 * Policies (input before conversion, output after validation) and audit wrap this in later layers; the
 * pipeline itself only throws coded errors.
 */

import { Errors } from '../../sdk/errors/index.js';
import type { ExecutionContext } from '../../sdk/execution-context.js';
import type { CompiledEndpoint } from '../generation/compiled-endpoint.js';
import type { Generation } from '../generation/generation.js';
import type { EndpointKind } from '../registry/types.js';
import { validateOutput } from '../types/output-validation.js';
import { shapeResult } from '../types/result-shaping.js';

export interface InvokeOptions {
  readonly skipOutputValidation?: boolean;
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
  if (endpoint.prompt) return endpoint.prompt.render(params);
  if (!endpoint.executor || !endpoint.executable) {
    throw new Errors.MXCP_E_ENDPOINT_NO_EXECUTOR({ language: endpoint.entry.source?.language ?? 'unknown' });
  }
  const result = await endpoint.executor.execute(endpoint.executable, params, context);
  if (!endpoint.returns) return result;
  const shaped = shapeResult(result, endpoint.returns);
  if (!options.skipOutputValidation) validateOutput(shaped, endpoint.returns);
  return shaped;
}
