/**
 * Cursor pagination of the list methods. Lists are sorted by key (name or URI), and a cursor names the
 * last key of the page before, so a cursor stays meaningful across a reload that adds or removes
 * entries. The cursor is opaque to clients (base64url); one that does not decode to our form is refused
 * with MXCP_E_MCP_INVALID_CURSOR (-32602).
 */
import { Errors } from '../../../sdk/errors/index.js';

const kPrefix = 'v1:';

export function encodeCursor(lastKey: string): string {
  return Buffer.from(kPrefix + lastKey, 'utf8').toString('base64url');
}

/** Index of the first entry after the cursor in `sortedKeys` (0 without a cursor). */
export function pageStart(sortedKeys: readonly string[], cursor: unknown): number {
  if (cursor === undefined || cursor === null) return 0;
  if (typeof cursor !== 'string') throw new Errors.MXCP_E_MCP_INVALID_CURSOR();
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith(kPrefix)) throw new Errors.MXCP_E_MCP_INVALID_CURSOR();
  const after = text.slice(kPrefix.length);
  // Binary search for the first key greater than `after`.
  let lo = 0;
  let hi = sortedKeys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sortedKeys[mid] as string) <= after) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Code-unit order, the same on every platform and locale (localeCompare is neither). */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
