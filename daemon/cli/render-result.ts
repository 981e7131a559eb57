/** Human rendering of an endpoint result: a table for a list of flat rows, indented JSON otherwise. */
import { jsonReplacer, type Output } from './output.js';

export function renderResult(out: Output, result: unknown): void {
  if (Array.isArray(result) && result.length > 0 && result.every(isFlatRow)) {
    const headers = Object.keys(result[0] as object);
    out.table(
      headers,
      result.map((row) => headers.map((h) => cell((row as Record<string, unknown>)[h]))),
    );
    out.line(out.style('dim', `(${result.length} row${result.length === 1 ? '' : 's'})`));
    return;
  }
  out.line(typeof result === 'string' ? result : JSON.stringify(result, jsonReplacer, 2));
}

function isFlatRow(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => x === null || typeof x !== 'object');
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  return typeof v === 'string' ? v : JSON.stringify(v, jsonReplacer);
}
