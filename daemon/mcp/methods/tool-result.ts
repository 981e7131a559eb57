/**
 * `CallToolResult` from a tool's value (MXCP section 16.2, FastMCP's conversion):
 *
 *   content            a list → one text block per element; null → none; anything else → one block.
 *                      A string block is the raw string, anything else its JSON text.
 *   structuredContent  with a declared `return` (and protocol 2025-06-18+): the object itself, or
 *                      `{result: value}` for every other type.
 *
 * JSON text is compact: clients parse it, and LLMs pay per token for indentation.
 */
import type { StructuredMode } from '../catalog/tool-entries.js';
import { stringify } from '../jsonrpc.js';

export interface TextBlock {
  readonly type: 'text';
  readonly text: string;
}

export function toolResult(value: unknown, mode: StructuredMode, structured: boolean): Record<string, unknown> {
  const result: Record<string, unknown> = { content: contentBlocks(value) };
  if (structured && mode !== 'none') {
    const content = mode === 'wrapped' ? { result: value ?? null } : value;
    // An object tool that produced nothing has no structured content (the spec wants an object there).
    if (typeof content === 'object' && content !== null) result.structuredContent = content;
  }
  result.isError = false;
  return result;
}

/** The result of a failed call: the text MXCP clients know (`Error executing tool <name>: ...`). */
export function toolError(text: string): Record<string, unknown> {
  return { content: [{ type: 'text', text }], isError: true };
}

function contentBlocks(value: unknown): TextBlock[] {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value)) return value.map(textBlock);
  return [textBlock(value)];
}

function textBlock(value: unknown): TextBlock {
  return { type: 'text', text: typeof value === 'string' ? value : stringify(value ?? null) };
}
