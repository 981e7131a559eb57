/**
 * A model provider for `models: {models: {dry: {type: echo}}}`: it answers with the last user message and
 * calls no tools. Useful to run an eval suite's plumbing without an API key.
 */
import { definePlugin, type ModelProvider, type ModelRequest, type ModelResponse } from 'mxcp/sdk';

interface EchoConfig {
  readonly prefix: string;
}

export default definePlugin<'model-provider', EchoConfig>({
  kind: 'model-provider',
  create: ({ config }): ModelProvider => ({
    types: ['echo'],
    async complete(request: ModelRequest): Promise<ModelResponse> {
      const last = [...request.messages].reverse().find((m) => m.role === 'user');
      const text = `${config.prefix}${last?.content ?? ''}`;
      return { text, toolCalls: [], stopReason: 'end_turn', usage: { inputTokens: 0, outputTokens: text.length } };
    },
  }),
});
