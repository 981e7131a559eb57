/**
 * Tools as MCP serves them, built once per generation: the `tools/list` descriptor (with and without
 * `outputSchema`, which 2025-03-26 lacks) and the function a `tools/call` runs. YAML tools go through the
 * engine pipeline; the built-in SQL tools (sql-tools.ts) have the same shape.
 */
import type { ExecutionContext } from '../../../sdk/execution-context.js';
import type { CompiledEndpoint } from '../../generation/compiled-endpoint.js';
import type { ToolDefinition } from '../../registry/types.js';
import { inputJsonSchema, outputJsonSchema, serializeOutput, structuredOutputWrapped } from '../../types/index.js';
import type { Invoker } from './invoker.js';

/** How a result becomes `structuredContent`: none (no `return`), the object itself, or `{result: value}`. */
export type StructuredMode = 'none' | 'object' | 'wrapped';

export interface ToolEntry {
  readonly name: string;
  /** The `tools/list` item for 2025-06-18 and later. */
  readonly descriptor: Readonly<Record<string, unknown>>;
  /** The item for 2025-03-26 (no `outputSchema`). */
  readonly legacyDescriptor: Readonly<Record<string, unknown>>;
  readonly structured: StructuredMode;
  /** Runs the tool with the client's raw arguments; the result is JSON-safe. Throws coded errors. */
  run(args: Readonly<Record<string, unknown>>, context: ExecutionContext): Promise<unknown>;
}

export function yamlToolEntry(endpoint: CompiledEndpoint, invoke: Invoker): ToolEntry {
  const def = endpoint.entry.endpoint.def as ToolDefinition;
  const legacyDescriptor: Record<string, unknown> = {
    name: endpoint.name,
    description: def.description ?? '',
    inputSchema: inputJsonSchema(endpoint.parameters),
  };
  const annotations = definedKeys(def.annotations);
  if (annotations) legacyDescriptor.annotations = annotations;
  const returns = endpoint.returns;
  const descriptor = returns ? { ...legacyDescriptor, outputSchema: outputJsonSchema(returns) } : legacyDescriptor;
  return {
    name: endpoint.name,
    descriptor,
    legacyDescriptor,
    structured: !returns ? 'none' : structuredOutputWrapped(returns) ? 'wrapped' : 'object',
    run: async (args, context) => serializeOutput(await invoke.endpoint(endpoint, args, context)),
  };
}

/** Only the keys the YAML sets (MXCP section 16.2); `undefined` when none are. */
function definedKeys(value: object | undefined): Record<string, unknown> | undefined {
  if (!value) return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined && v !== null) out[k] = v;
  return Object.keys(out).length > 0 ? out : undefined;
}
