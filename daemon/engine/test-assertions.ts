/**
 * Assertions of endpoint tests (`tests:` in endpoint YAML), with MXCP's semantics and messages
 * (reference/mxcp-core.md section 12). Each returns `undefined` on success or the failure message.
 */
import type { TestDefinition } from '../registry/types.js';

type Assertion = (result: unknown, expected: unknown) => string | undefined;

/** JSON with sorted keys: MXCP compares results this way (so key order never matters). */
export function canonical(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(o)
        .sort()
        .map((k) => [k, sortKeys(o[k])]),
    );
  }
  return value;
}

const equal = (a: unknown, b: unknown) => canonical(a) === canonical(b);
const show = (v: unknown) => JSON.stringify(v, null, 2);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A list item matches when equal, or (both objects) when it contains every expected pair. */
function itemMatches(item: unknown, expected: unknown): boolean {
  if (isObject(expected) && isObject(item)) return Object.entries(expected).every(([k, v]) => k in item && equal(item[k], v));
  return equal(item, expected);
}

const assertions: Record<string, Assertion> = {
  result(result, expected) {
    if (expected === null) return undefined; // `result: null` means "no assertion" in MXCP
    return equal(result, expected)
      ? undefined
      : `Result does not match expected output.\nExpected: ${show(expected)}\nGot: ${show(result)}`;
  },
  result_contains(result, expected) {
    if (isObject(result)) {
      if (!isObject(expected)) return `result_contains assertion requires dict expectation for a dict result, got ${typeof expected}`;
      for (const [k, v] of Object.entries(expected)) {
        if (!(k in result)) return `Expected field '${k}' not found in result`;
        if (!equal(result[k], v)) return `Field '${k}' has value ${JSON.stringify(result[k])}, expected ${JSON.stringify(v)}`;
      }
      return undefined;
    }
    if (Array.isArray(result)) {
      if (isObject(expected)) {
        return result.some((item) => itemMatches(item, expected))
          ? undefined
          : `No item in array contains the expected fields: ${show(expected)}`;
      }
      return result.some((item) => equal(item, expected)) ? undefined : `Array does not contain expected value: ${show(expected)}`;
    }
    return `result_contains assertion requires dict or array result, got ${typeOf(result)}`;
  },
  result_not_contains(result, expected) {
    if (!isObject(result)) return `result_not_contains assertion requires dict result, got ${typeOf(result)}`;
    for (const k of expected as string[]) if (k in result) return `Field '${k}' should not be present in result but was found`;
    return undefined;
  },
  result_contains_item(result, expected) {
    if (!Array.isArray(result)) return `result_contains_item assertion requires array result, got ${typeOf(result)}`;
    return result.some((item) => itemMatches(item, expected)) ? undefined : `Array does not contain expected item: ${show(expected)}`;
  },
  result_contains_all(result, expected) {
    if (!Array.isArray(result)) return `result_contains_all assertion requires array result, got ${typeOf(result)}`;
    for (const want of expected as unknown[]) {
      if (!result.some((item) => itemMatches(item, want))) return `Array does not contain expected item: ${show(want)}`;
    }
    return undefined;
  },
  result_length(result, expected) {
    if (!Array.isArray(result)) return `result_length assertion requires array result, got ${typeOf(result)}`;
    return result.length === expected ? undefined : `Array has ${result.length} items, expected ${String(expected)}`;
  },
  result_contains_text(result, expected) {
    const text = typeof result === 'string' ? result : JSON.stringify(result);
    return text.includes(String(expected)) ? undefined : `Result does not contain expected text: '${String(expected)}'`;
  },
};

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/**
 * MXCP normalises any falsy result (`null`, `[]`, `{}`, `""`, `0`, `false`) to `[]` before asserting.
 * We keep that only where it cannot hide a real answer: `null`/`undefined` become `[]`.
 */
export function normalizeResult(result: unknown): unknown {
  return result === null || result === undefined ? [] : result;
}

/** Runs every assertion the test declares; the first failure wins (declaration order of MXCP). */
export function checkAssertions(test: TestDefinition, result: unknown): string | undefined {
  for (const key of Object.keys(assertions)) {
    if (!(key in test)) continue;
    const failure = (assertions[key] as Assertion)(result, (test as unknown as Record<string, unknown>)[key]);
    if (failure) return failure;
  }
  return undefined;
}
