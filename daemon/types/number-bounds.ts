/**
 * Numeric constraints, in MXCP's order and wording (`Value must be <= 100`). Bounds print as JavaScript
 * numbers (`100`), where Python printed floats (`100.0`). Values may be bigint (integers beyond the safe
 * range); JavaScript compares bigint with number exactly, so only `multipleOf` needs care.
 */
import type { TypeDefinition } from '../registry/types.js';
import { formatNumber } from './describe-value.js';

/** All five input constraints: multipleOf, minimum, maximum, exclusiveMinimum, exclusiveMaximum. */
export function checkInputBounds(def: TypeDefinition, v: number | bigint): string | undefined {
  const m = def.multipleOf;
  if (m !== undefined && !isMultipleOf(v, m)) return `Value must be multiple of ${formatNumber(m)}`;
  return checkOutputBounds(def, v) ?? checkExclusiveBounds(def, v);
}

/** The bounds output validation checks: minimum and maximum only (MXCP section 7.3). */
export function checkOutputBounds(def: TypeDefinition, v: number | bigint): string | undefined {
  if (def.minimum !== undefined && v < def.minimum) return `Value must be >= ${formatNumber(def.minimum)}`;
  if (def.maximum !== undefined && v > def.maximum) return `Value must be <= ${formatNumber(def.maximum)}`;
  return undefined;
}

function checkExclusiveBounds(def: TypeDefinition, v: number | bigint): string | undefined {
  if (def.exclusiveMinimum !== undefined && v <= def.exclusiveMinimum) return `Value must be > ${formatNumber(def.exclusiveMinimum)}`;
  if (def.exclusiveMaximum !== undefined && v >= def.exclusiveMaximum) return `Value must be < ${formatNumber(def.exclusiveMaximum)}`;
  return undefined;
}

/**
 * Exact for integers; for fractions a relative tolerance, so that 0.3 counts as a multiple of 0.1
 * (Python's `0.3 % 0.1 != 0` rejects it, which no one declaring `multipleOf: 0.1` wants).
 * A non-positive or non-finite divisor is no constraint (the endpoint schema forbids it anyway).
 */
function isMultipleOf(v: number | bigint, m: number): boolean {
  if (!(m > 0) || !Number.isFinite(m)) return true;
  if (typeof v === 'bigint') {
    if (Number.isInteger(m)) return v % BigInt(m) === 0n;
    return isMultipleOf(Number(v), m);
  }
  if (Number.isInteger(v) && Number.isInteger(m)) return v % m === 0;
  const q = v / m;
  if (!Number.isFinite(q)) return false;
  return Math.abs(q - Math.round(q)) <= 1e-9 * Math.max(1, Math.abs(q));
}
