/**
 * `prompts/list` and `prompts/get`. MXCP 0.12 fails `prompts/get` over MCP because its messages are not
 * MCP messages [quirk]; here each rendered message becomes `{role, content: {type: 'text', text}}`, with
 * `assistant` kept and every other role (`user`, `system`, none) sent as `user`: MCP has no system role.
 */
import { Errors, isMxcpError } from '../../../sdk/errors/index.js';
import type { RenderedMessage } from '../../engine/prompt-renderer.js';
import type { PromptDefinition } from '../../registry/types.js';
import type { MethodCall } from '../method-call.js';
import { isArgumentError } from './argument-errors.js';

export function listPrompts(call: MethodCall) {
  return call.catalog.listPage('prompts', call.version, call.params.cursor);
}

export async function getPrompt(call: MethodCall): Promise<Record<string, unknown>> {
  const { name } = call.params;
  if (typeof name !== 'string') throw new Errors.MXCP_E_MCP_INVALID_PARAMS({ detail: 'prompts/get needs a string "name"' });
  const prompt = call.catalog.prompts.get(name);
  if (!prompt) throw new Errors.MXCP_E_MCP_UNKNOWN_PROMPT({ name });
  const args = call.params.arguments ?? {};
  if (typeof args !== 'object' || args === null || Array.isArray(args)) {
    throw new Errors.MXCP_E_MCP_INVALID_PARAMS({ detail: 'prompts/get "arguments" must be an object' });
  }
  let rendered: RenderedMessage[];
  try {
    rendered = (await call.catalog.invoke.endpoint(
      prompt.endpoint,
      args as Record<string, unknown>,
      call.executionContext(name),
    )) as RenderedMessage[];
  } catch (err) {
    if (isArgumentError(err)) throw new Errors.MXCP_E_MCP_INVALID_ARGUMENTS({ kind: 'prompt', name, detail: err.message }, { cause: err });
    // Template runtime errors come from nunjucks uncoded; their text is about the template, safe to show.
    const detail = isMxcpError(err) || err instanceof Error ? err.message : String(err);
    throw new Errors.MXCP_E_MCP_PROMPT_FAILED({ name, detail }, { cause: err });
  }
  const result: Record<string, unknown> = {};
  const { description } = prompt.endpoint.entry.endpoint.def as PromptDefinition;
  if (description !== undefined) result.description = description;
  result.messages = rendered.map((m) => ({
    role: m.role === 'assistant' ? 'assistant' : 'user',
    content: { type: 'text', text: m.prompt },
  }));
  return result;
}
