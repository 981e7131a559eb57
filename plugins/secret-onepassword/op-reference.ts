/** `op://<vault>/<item>/<field>[?attribute=otp]` (MXCP's pattern); vault and item by name or id, field by label or id. */

export interface OpReference {
  readonly vault: string;
  readonly item: string;
  readonly field: string;
  /** The field's current one-time password instead of its value. */
  readonly otp: boolean;
}

const kPattern = /^op:\/\/([^/]+)\/([^/]+)\/([^/?]+)(?:\?attribute=(otp))?$/;

export function parseOpReference(value: string): OpReference {
  const m = kPattern.exec(value);
  if (!m)
    throw new Error(`1Password reference '${value}' is malformed (expected op://vault/item/field or op://vault/item/field?attribute=otp)`);
  const decode = (s: string) => decodeURIComponent(s);
  return { vault: decode(m[1] as string), item: decode(m[2] as string), field: decode(m[3] as string), otp: m[4] === 'otp' };
}
