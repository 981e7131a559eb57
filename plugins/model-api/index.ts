/**
 * The built-in model provider: `type: claude` (Anthropic Messages API) and `type: openai` (OpenAI-compatible
 * Chat Completions). The request carries the model's `models:` block as `settings`, so one instance serves
 * every configured model. undici loads on the first call only.
 */
import type { ModelProvider, ModelRequest, ModelResponse } from '../../sdk/model-provider.js';
import { definePlugin } from '../../sdk/plugin-definition.js';
import { anthropicComplete } from './anthropic.js';
import { openaiComplete } from './openai.js';

export default definePlugin<'model-provider'>({
  kind: 'model-provider',
  create: (): ModelProvider => ({
    types: ['claude', 'openai'],
    complete(request: ModelRequest): Promise<ModelResponse> {
      return request.settings?.type === 'openai' ? openaiComplete(request) : anthropicComplete(request);
    },
  }),
});
