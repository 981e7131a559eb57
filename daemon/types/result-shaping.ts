/**
 * Result shaping by the declared `return.type` (MXCP section 7.2), before output validation. Executors
 * return rows; an endpoint declaring `object` or a scalar wants one row, or one value of one row:
 *
 *   return.type      rows                   result
 *   (none), array    [r1, r2, ...]          unchanged
 *   object           [r]                    r
 *   scalar           [{col: v}]             v          (a row that is not an object is returned as is)
 *
 * Anything that is not an array (a TS endpoint returning an object or a number) passes unchanged.
 */
import { Errors } from '../../sdk/errors/index.js';
import type { TypeDefinition } from '../registry/types.js';
import { isPlainObject } from './conversion-result.js';

export function shapeResult(result: unknown, ret: TypeDefinition | undefined): unknown {
  if (ret === undefined || ret.type === 'array' || !Array.isArray(result)) return result;
  if (result.length === 0) throw new Errors.MXCP_E_RESULT_EMPTY();
  if (result.length > 1) throw new Errors.MXCP_E_RESULT_NOT_SINGLE_ROW({ type: ret.type, count: result.length });
  const row: unknown = result[0];
  if (ret.type === 'object' || !isPlainObject(row)) return row;
  let only: unknown;
  let count = 0;
  for (const key in row) {
    if (!Object.hasOwn(row, key)) continue;
    if (count++ === 0) only = row[key];
  }
  if (count !== 1) throw new Errors.MXCP_E_RESULT_NOT_SINGLE_VALUE({ type: ret.type, count });
  return only;
}
