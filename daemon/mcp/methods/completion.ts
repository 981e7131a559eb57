/**
 * `completion/complete`: argument suggestions for a prompt or a resource template, from what the YAML
 * already says about the parameter (its `enum`, else its `examples`), matched case-insensitively by prefix.
 * A parameter with neither completes to nothing, which the spec allows ("minimal or empty").
 */
import { Errors } from '../../../sdk/errors/index.js';
import type { CompiledEndpoint } from '../../generation/compiled-endpoint.js';
import type { MethodCall } from '../method-call.js';

const kMaxValues = 100;

export function complete(call: MethodCall): Record<string, unknown> {
  const { ref, argument } = call.params as {
    ref?: { type?: unknown; name?: unknown; uri?: unknown };
    argument?: { name?: unknown; value?: unknown };
  };
  if (!ref || typeof ref !== 'object' || !argument || typeof argument.name !== 'string') {
    throw new Errors.MXCP_E_MCP_INVALID_PARAMS({ detail: 'completion/complete needs ref and argument {name, value}' });
  }
  const endpoint = referenced(call, ref);
  const param = endpoint.parameters.find((p) => p.name === argument.name);
  if (!param) throw new Errors.MXCP_E_MCP_INVALID_PARAMS({ detail: `'${endpoint.name}' has no argument '${argument.name}'` });
  const candidates = (param.enum ?? (param as { examples?: unknown[] }).examples ?? []).map(String);
  const prefix = typeof argument.value === 'string' ? argument.value.toLowerCase() : '';
  const matching = [...new Set(candidates)].filter((v) => v.toLowerCase().startsWith(prefix));
  return { completion: { values: matching.slice(0, kMaxValues), total: matching.length, hasMore: matching.length > kMaxValues } };
}

function referenced(call: MethodCall, ref: { type?: unknown; name?: unknown; uri?: unknown }): CompiledEndpoint {
  if (ref.type === 'ref/prompt' && typeof ref.name === 'string') {
    const prompt = call.catalog.prompts.get(ref.name);
    if (!prompt) throw new Errors.MXCP_E_MCP_INVALID_PARAMS({ detail: `Unknown prompt: ${ref.name}` });
    return prompt.endpoint;
  }
  if (ref.type === 'ref/resource' && typeof ref.uri === 'string') {
    const entry =
      call.catalog.resources.templates.find((t) => t.uri === ref.uri) ?? call.catalog.resources.plain.find((t) => t.uri === ref.uri);
    if (!entry) throw new Errors.MXCP_E_MCP_INVALID_PARAMS({ detail: `Unknown resource template: ${ref.uri}` });
    return entry.endpoint;
  }
  throw new Errors.MXCP_E_MCP_INVALID_PARAMS({ detail: "ref must be {type: 'ref/prompt', name} or {type: 'ref/resource', uri}" });
}
