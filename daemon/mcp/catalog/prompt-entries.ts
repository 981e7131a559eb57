/** Prompts as MCP serves them: the `prompts/list` item, built once per generation. */
import type { CompiledEndpoint } from '../../generation/compiled-endpoint.js';
import type { PromptDefinition } from '../../registry/types.js';

export interface PromptEntry {
  readonly name: string;
  readonly endpoint: CompiledEndpoint;
  readonly descriptor: Readonly<Record<string, unknown>>;
}

/** Arguments are the parameters; one is required when it has no default (MXCP section 16.4). */
export function promptEntry(endpoint: CompiledEndpoint): PromptEntry {
  const def = endpoint.entry.endpoint.def as PromptDefinition;
  const descriptor: Record<string, unknown> = { name: endpoint.name };
  if (def.description !== undefined) descriptor.description = def.description;
  descriptor.arguments = endpoint.parameters.map((p) => {
    const arg: Record<string, unknown> = { name: p.name };
    if (p.description !== undefined) arg.description = p.description;
    arg.required = !(Object.hasOwn(p, 'default') && p.default !== undefined);
    return arg;
  });
  return { name: endpoint.name, endpoint, descriptor };
}
