/**
 * The `model-provider` plugin kind: a language model API used by `mxcp evals` (MXCP's `models:` block,
 * types `claude` and `openai`). One call is one model turn; the eval runner drives tool calls itself.
 */
import type { PluginLifecycle } from './plugin-kinds.js';

export interface ModelMessage {
  readonly role: 'user' | 'assistant' | 'tool';
  readonly content: string;
  /** For `tool` messages: the id of the call this answers. */
  readonly toolCallId?: string;
}

export interface ModelTool {
  readonly name: string;
  readonly description?: string;
  /** JSON Schema of the tool's arguments. */
  readonly inputSchema: Readonly<Record<string, unknown>>;
}

export interface ModelRequest {
  /** The configured model name (`models.models.<name>`), resolved to the provider's model id by the provider. */
  readonly model: string;
  readonly system?: string;
  readonly messages: readonly ModelMessage[];
  readonly tools?: readonly ModelTool[];
  readonly maxTokens?: number;
  readonly signal?: AbortSignal;
}

export interface ModelToolCall {
  readonly id: string;
  readonly name: string;
  readonly arguments: Readonly<Record<string, unknown>>;
}

export interface ModelResponse {
  readonly text: string;
  readonly toolCalls: readonly ModelToolCall[];
  readonly stopReason?: string;
  readonly usage?: { readonly inputTokens: number; readonly outputTokens: number };
}

export interface ModelProvider extends PluginLifecycle {
  /** The `type:` values it serves in the `models:` block (`claude`, `openai`, ...). */
  readonly types: readonly string[];
  complete(request: ModelRequest): Promise<ModelResponse>;
}
