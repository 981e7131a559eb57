/**
 * OpenAI-compatible Chat Completions (https://platform.openai.com/docs/api-reference/chat): `POST
 * {base}/chat/completions` with a bearer key; tools as `{type: function, function: {name, description,
 * parameters}}`; tool calls come back in `choices[0].message.tool_calls` with JSON-text arguments and go back
 * as `role: tool` messages. Any server speaking this format works (`base_url`).
 */
import { modelErrors } from '../../sdk/errors/models.js';
import type { ModelMessage, ModelRequest, ModelResponse, ModelToolCall } from '../../sdk/model-provider.js';
import { postJson } from './http.js';

function toApiMessages(system: string | undefined, messages: readonly ModelMessage[]): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = system ? [{ role: 'system', content: system }] : [];
  for (const m of messages) {
    if (m.role === 'tool') out.push({ role: 'tool', tool_call_id: m.toolCallId ?? '', content: m.content });
    else if (m.role === 'assistant' && m.toolCalls?.length) {
      out.push({
        role: 'assistant',
        content: m.content || null,
        tool_calls: m.toolCalls.map((c) => ({
          id: c.id,
          type: 'function',
          function: { name: c.name, arguments: JSON.stringify(c.arguments) },
        })),
      });
    } else out.push({ role: m.role, content: m.content });
  }
  return out;
}

export async function openaiComplete(request: ModelRequest): Promise<ModelResponse> {
  const settings = request.settings;
  if (!settings?.apiKey) throw new modelErrors.MXCP_E_MODEL_API_KEY_MISSING({ model: request.model });
  const base = (settings.baseUrl ?? 'https://api.openai.com/v1').replace(/\/+$/, '');
  const payload = {
    model: request.model,
    messages: toApiMessages(request.system, request.messages),
    ...(request.maxTokens ? { max_tokens: request.maxTokens } : {}),
    ...(request.tools?.length
      ? {
          tools: request.tools.map((t) => ({
            type: 'function',
            function: { name: t.name, description: t.description ?? '', parameters: t.inputSchema },
          })),
        }
      : {}),
  };
  const { body } = await postJson(
    'OpenAI',
    `${base}/chat/completions`,
    { authorization: `Bearer ${settings.apiKey}` },
    payload,
    settings,
    request.signal,
  );
  const r = body as {
    choices?: { message?: { content?: string | null; tool_calls?: unknown }; finish_reason?: string }[];
    usage?: { prompt_tokens?: number; completion_tokens?: number };
  };
  const choice = r.choices?.[0];
  if (!choice?.message) throw new modelErrors.MXCP_E_MODEL_BAD_RESPONSE({ provider: 'OpenAI', detail: 'no choices[0].message' });
  const toolCalls: ModelToolCall[] = [];
  for (const c of (Array.isArray(choice.message.tool_calls) ? choice.message.tool_calls : []) as {
    id?: string;
    function?: { name?: string; arguments?: string };
  }[]) {
    let args: unknown;
    try {
      args = JSON.parse(c.function?.arguments ?? '{}');
    } catch {
      throw new modelErrors.MXCP_E_MODEL_BAD_RESPONSE({
        provider: 'OpenAI',
        detail: `tool call arguments are not JSON: ${String(c.function?.arguments).slice(0, 80)}`,
      });
    }
    if (
      typeof c.id !== 'string' ||
      typeof c.function?.name !== 'string' ||
      typeof args !== 'object' ||
      args === null ||
      Array.isArray(args)
    ) {
      throw new modelErrors.MXCP_E_MODEL_BAD_RESPONSE({
        provider: 'OpenAI',
        detail: 'a tool call without id, function name or object arguments',
      });
    }
    toolCalls.push({ id: c.id, name: c.function.name, arguments: args as Record<string, unknown> });
  }
  return {
    text: choice.message.content ?? '',
    toolCalls,
    ...(choice.finish_reason ? { stopReason: choice.finish_reason } : {}),
    ...(r.usage ? { usage: { inputTokens: r.usage.prompt_tokens ?? 0, outputTokens: r.usage.completion_tokens ?? 0 } } : {}),
  };
}
