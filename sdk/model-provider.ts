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
  /** For `assistant` messages: the tool calls the model made in that turn (sent back with their results). */
  readonly toolCalls?: readonly ModelToolCall[];
  /** For `tool` messages: the call failed; `content` is the error text. */
  readonly isError?: boolean;
}

/** The `models.models.<name>` block of the user config (references resolved), as the provider needs it. */
export interface ModelSettings {
  /** `claude`, `openai`, or a plugin's own type. */
  readonly type: string;
  readonly apiKey?: string;
  readonly baseUrl?: string;
  /** Seconds per API call. */
  readonly timeout?: number;
  /** Retries after a 429 or 5xx answer or a dropped connection. */
  readonly maxRetries?: number;
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
  /** The model's configuration block; absent for providers that need none. */
  readonly settings?: ModelSettings;
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
