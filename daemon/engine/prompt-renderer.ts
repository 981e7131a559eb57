/**
 * Prompt messages are Jinja2 templates (MXCP). Nunjucks is Jinja2-compatible for the constructs prompts
 * use; each message is compiled once per generation and rendered per call with the validated parameters.
 * No autoescaping (these are not HTML); an undefined variable renders as an empty string, as in Jinja2.
 */
import nunjucks from 'nunjucks';
import type { PromptDefinition } from '../registry/types.js';

export interface RenderedMessage {
  prompt: string;
  role?: string;
  type?: string;
}

export interface CompiledPrompt {
  render(params: Readonly<Record<string, unknown>>): RenderedMessage[];
}

const environment = new nunjucks.Environment(null, { autoescape: false, throwOnUndefined: false, trimBlocks: false });

export function compilePrompt(def: PromptDefinition): CompiledPrompt {
  const templates = def.messages.map((m) => ({
    template: nunjucks.compile(m.prompt, environment),
    role: m.role,
    type: m.type,
  }));
  return {
    render(params) {
      // Temporal parameters are tagged objects with toJSON; templates should see their text.
      const context = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, plain(v)]));
      return templates.map((t) => {
        const msg: RenderedMessage = { prompt: t.template.render(context) };
        if (t.role !== undefined) msg.role = t.role;
        if (t.type !== undefined) msg.type = t.type;
        return msg;
      });
    },
  };
}

function plain(v: unknown): unknown {
  if (v && typeof v === 'object' && 'toJSON' in v && typeof (v as { toJSON: unknown }).toJSON === 'function') {
    return (v as { toJSON(): unknown }).toJSON();
  }
  return v;
}
