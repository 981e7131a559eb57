/**
 * Anthropic Messages API (https://docs.anthropic.com/en/api/messages): `POST {base}/v1/messages` with
 * `x-api-key` and `anthropic-version`; tools as `{name, description, input_schema}`; the model's tool calls
 * come back as `tool_use` content blocks and go back to it as `tool_result` blocks in a user turn.
 */
import { modelErrors } from '../../sdk/errors/models.js';
import type { ModelMessage, ModelRequest, ModelResponse, ModelToolCall } from '../../sdk/model-provider.js';
import { postJson } from './http.js';

/** MXCP's model names, mapped to API model ids; any other name is sent as given. */
const kModelIds: Record<string, string> = {
  'claude-4-opus': 'claude-opus-4-20250514',
  'claude-4-sonnet': 'claude-sonnet-4-20250514',
};

type Block =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: unknown }
  | { type: 'tool_result'; tool_use_id: string; content: string; is_error?: boolean };

function toApiMessages(messages: readonly ModelMessage[]): { role: 'user' | 'assistant'; content: string | Block[] }[] {
  const out: { role: 'user' | 'assistant'; content: string | Block[] }[] = [];
  for (const m of messages) {
    if (m.role === 'tool') {
      const block: Block = {
        type: 'tool_result',
        tool_use_id: m.toolCallId ?? '',
        content: m.content,
        ...(m.isError ? { is_error: true } : {}),
      };
      const prev = out.at(-1);
      // Results of one turn's calls travel together in one user message, as the API expects.
      if (prev?.role === 'user' && Array.isArray(prev.content) && prev.content.every((b) => b.type === 'tool_result'))
        prev.content.push(block);
      else out.push({ role: 'user', content: [block] });
    } else if (m.role === 'assistant' && m.toolCalls?.length) {
      out.push({
        role: 'assistant',
        content: [
          ...(m.content ? [{ type: 'text' as const, text: m.content }] : []),
          ...m.toolCalls.map((c) => ({ type: 'tool_use' as const, id: c.id, name: c.name, input: c.arguments })),
        ],
      });
    } else out.push({ role: m.role === 'assistant' ? 'assistant' : 'user', content: m.content });
  }
  return out;
}

export async function anthropicComplete(request: ModelRequest): Promise<ModelResponse> {
  const settings = request.settings;
  if (!settings?.apiKey) throw new modelErrors.MXCP_E_MODEL_API_KEY_MISSING({ model: request.model });
  const base = (settings.baseUrl ?? 'https://api.anthropic.com').replace(/\/+$/, '');
  const payload = {
    model: kModelIds[request.model] ?? request.model,
    max_tokens: request.maxTokens ?? 4096,
    ...(request.system ? { system: request.system } : {}),
    messages: toApiMessages(request.messages),
    ...(request.tools?.length
      ? { tools: request.tools.map((t) => ({ name: t.name, description: t.description ?? '', input_schema: t.inputSchema })) }
      : {}),
  };
  const { body } = await postJson(
    'Anthropic',
    `${base}/v1/messages`,
    { 'x-api-key': settings.apiKey, 'anthropic-version': '2023-06-01' },
    payload,
    settings,
    request.signal,
  );
  const r = body as { content?: unknown; stop_reason?: string; usage?: { input_tokens?: number; output_tokens?: number } };
  if (!Array.isArray(r.content)) throw new modelErrors.MXCP_E_MODEL_BAD_RESPONSE({ provider: 'Anthropic', detail: 'no content array' });
  const texts: string[] = [];
  const toolCalls: ModelToolCall[] = [];
  for (const b of r.content as { type?: string; text?: string; id?: string; name?: string; input?: unknown }[]) {
    if (b.type === 'text' && typeof b.text === 'string') texts.push(b.text);
    if (b.type === 'tool_use') {
      if (
        typeof b.name !== 'string' ||
        typeof b.id !== 'string' ||
        typeof b.input !== 'object' ||
        b.input === null ||
        Array.isArray(b.input)
      ) {
        throw new modelErrors.MXCP_E_MODEL_BAD_RESPONSE({
          provider: 'Anthropic',
          detail: 'a tool_use block without id, name or an object input',
        });
      }
      toolCalls.push({ id: b.id, name: b.name, arguments: b.input as Record<string, unknown> });
    }
  }
  return {
    text: texts.join(''),
    toolCalls,
    ...(r.stop_reason ? { stopReason: r.stop_reason } : {}),
    ...(r.usage ? { usage: { inputTokens: r.usage.input_tokens ?? 0, outputTokens: r.usage.output_tokens ?? 0 } } : {}),
  };
}
