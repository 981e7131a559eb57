/**
 * Numbers written as text (`--param limit=5` arrives as the string "5"). The accepted forms are those of
 * Python's `int()` and `float()` that make sense for JSON: surrounding whitespace, a sign, `_` between
 * digits; no hexadecimal, no `inf`/`nan` (JSON cannot carry them back out).
 */

const kIntegerText = /^\s*[+-]?\d+(?:_\d+)*\s*$/;
const kFloatText = /^\s*[+-]?(?:\d+(?:_\d+)*(?:\.(?:\d+(?:_\d+)*)?)?|\.\d+(?:_\d+)*)(?:[eE][+-]?\d+(?:_\d+)*)?\s*$/;
const kUnderscores = /_/g;

/** Largest digit count (sign included) that always fits a safe integer. */
const kSafeDigits = 15;
const kMinSafe = BigInt(Number.MIN_SAFE_INTEGER);
const kMaxSafe = BigInt(Number.MAX_SAFE_INTEGER);

/** An integer literal → number, or bigint beyond the safe range; `undefined` when not an integer literal. */
export function parseIntegerText(text: string): number | bigint | undefined {
  if (!kIntegerText.test(text)) return undefined;
  let t = text.trim();
  if (t.includes('_')) t = t.replace(kUnderscores, '');
  // `+ 0` turns "-0" into 0, as Python's int() does.
  if (t.length <= kSafeDigits) return Number(t) + 0;
  return narrowInteger(BigInt(t));
}

/** A decimal literal → finite number; `undefined` when not a literal or out of the double range. */
export function parseFloatText(text: string): number | undefined {
  if (!kFloatText.test(text)) return undefined;
  let t = text.trim();
  if (t.includes('_')) t = t.replace(kUnderscores, '');
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

/** A bigint as a number when that loses nothing; integers outside the safe range stay bigint. */
export function narrowInteger(n: bigint): number | bigint {
  return n >= kMinSafe && n <= kMaxSafe ? Number(n) : n;
}

/** A finite number truncated towards zero (Python `int(5.9) == 5`), as bigint when beyond the safe range. */
export function truncateToInteger(n: number): number | bigint {
  const t = Math.trunc(n);
  // `+ 0` turns -0 (from truncating -0.5) into 0.
  return Number.isSafeInteger(t) ? t + 0 : BigInt(t);
}

const kDecimalParts = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * `text × 10^scale` rounded half away from zero, computed on the decimal digits, so `1705314600.123`
 * seconds is exactly 1705314600123000 microseconds (the double nearest to it is not). `text` is a decimal
 * literal already accepted by {@link parseFloatText}, or `String(n)` of a finite number.
 */
export function scaleDecimalText(text: string, scale: number): bigint | undefined {
  let t = text.trim();
  if (t.includes('_')) t = t.replace(kUnderscores, '');
  const m = kDecimalParts.exec(t);
  if (!m) return undefined;
  const fraction = m[3] ?? '';
  const digits = (m[2] ?? '') + fraction;
  if (digits === '') return undefined;
  const shift = scale - fraction.length + Number(m[4] ?? 0);
  let n = BigInt(digits);
  if (shift >= 0) {
    n *= 10n ** BigInt(shift);
  } else if (-shift > digits.length) {
    n = 0n; // below half a unit whatever the digits
  } else {
    const divisor = 10n ** BigInt(-shift);
    const remainder = n % divisor;
    n /= divisor;
    if (remainder * 2n >= divisor) n++;
  }
  return m[1] === '-' ? -n : n;
}
