import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as sdk from '../sdk/errors/index.js';
import { Errors } from '../sdk/errors/index.js';

const doc = readFileSync(new URL('./errors.md', import.meta.url), 'utf8');
const documented = new Set([...doc.matchAll(/^\| `(MXCP_E_[A-Z0-9_]+)` \|/gm)].map((m) => m[1]));

describe('error catalogue', () => {
  it('keys each class by its own code, in MXCP_E_<AREA>_<PROBLEM> form', () => {
    for (const [key, cls] of Object.entries(Errors)) {
      expect(cls.code).toBe(key);
      expect(key).toMatch(/^MXCP_E_[A-Z0-9]+(_[A-Z0-9]+)+$/);
      expect([1, 2]).toContain(cls.exitCode);
    }
  });

  it('documents every code in spec/errors.md, and nothing else', () => {
    const codes = new Set(Object.keys(Errors));
    expect([...codes].filter((c) => !documented.has(c))).toEqual([]);
    expect([...documented].filter((c) => !codes.has(c as string))).toEqual([]);
  });

  it('constructs errors that carry code, exit code, location and cause', () => {
    const cause = new Error('inner');
    const err = new Errors.MXCP_E_SITE_INVALID(
      { detail: 'foo: unknown key' },
      { cause, location: { file: 'mxcp-site.yml', line: 3, column: 1 } },
    );
    expect(err).toBeInstanceOf(sdk.MxcpError);
    expect(err).toBeInstanceOf(Errors.MXCP_E_SITE_INVALID);
    expect(err.code).toBe('MXCP_E_SITE_INVALID');
    expect(err.exitCode).toBe(1);
    expect(err.cause).toBe(cause);
    expect(err.located).toBe('mxcp-site.yml:3:1: Site config validation error: foo: unknown key');
    expect(sdk.isMxcpError(err)).toBe(true);
    expect(sdk.isMxcpError(new Error('x'))).toBe(false);
  });
});
