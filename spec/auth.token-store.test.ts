/**
 * The built-in file token store and the crypto around it: records survive a reopen (restart), expire,
 * one-time records are taken once, a torn last line (crash mid-write) costs only that change, the file is
 * private (0600) and compacted, and two instances on one path (generations overlapping in a reload) share
 * state. Secrets sealed with a key open only with that key; claim mappings derive capabilities as MXCP does.
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { capabilitiesOf } from '../daemon/auth/capabilities.js';
import { pkceMatches, SecretBox } from '../daemon/auth/token-crypto.js';
import { FileTokenStore } from '../plugins/token-store-file/index.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function storePath(): string {
  dir = mkdtempSync(join(tmpdir(), 'mxcp-store-'));
  return join(dir, 'nested', 'tokens.jsonl');
}

function open(path: string): FileTokenStore {
  const store = new FileTokenStore(path);
  store.init();
  return store;
}

describe('file token store', () => {
  it('keeps records across a reopen, in a private file', async () => {
    const path = storePath();
    const a = open(path);
    await a.put('client', 'c1', { data: { name: 'one' } });
    await a.put('session', 's1', { data: { user: 'alice' }, expiresAt: Date.now() + 60_000 });
    await a.delete('client', 'c1');
    a.close();
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const b = open(path);
    expect(await b.get('client', 'c1')).toBeUndefined();
    expect((await b.get('session', 's1'))?.data).toEqual({ user: 'alice' });
    b.close();
  });

  it('expired records read as absent and are swept; take returns a record once', async () => {
    const path = storePath();
    const s = open(path);
    await s.put('state', 'old', { data: {}, expiresAt: Date.now() - 1 });
    await s.put('auth-code', 'code', { data: { x: 1 } });
    expect(await s.get('state', 'old')).toBeUndefined();
    const [first, second] = await Promise.all([s.take('auth-code', 'code'), s.take('auth-code', 'code')]);
    expect([first, second].filter(Boolean)).toHaveLength(1);
    expect(await s.cleanupExpired(Date.now())).toBe(1);
    s.close();
  });

  it('a torn last line after a crash loses only that change', async () => {
    const path = storePath();
    const s = open(path);
    await s.put('client', 'kept', { data: { ok: true } });
    s.close();
    appendFileSync(path, '{"c":"client","k":"torn","r":{"da');
    const again = open(path);
    expect((await again.get('client', 'kept'))?.data).toEqual({ ok: true });
    expect(await again.get('client', 'torn')).toBeUndefined();
    again.close();
  });

  it('two instances on one path share state (a reload overlaps generations); reopening compacts dead lines', async () => {
    const path = storePath();
    const old = open(path);
    const next = open(path);
    await old.put('auth-code', 'issued-by-old', { data: { n: 1 } });
    expect((await next.take('auth-code', 'issued-by-old'))?.data).toEqual({ n: 1 });
    for (let i = 0; i < 50; i++) await next.put('client', 'churn', { data: { i } });
    old.close();
    next.close();
    const lines = () => readFileSync(path, 'utf8').split('\n').filter(Boolean).length;
    expect(lines()).toBeGreaterThan(50);
    open(path).close();
    expect(lines()).toBe(1);
  });
});

describe('secrets and capabilities', () => {
  it('sealed secrets open with the same key only; without a key they are marked plain', () => {
    const box = new SecretBox('a-passphrase-of-at-least-thirty-two-characters', '/x');
    const sealed = box.seal('upstream-token');
    expect(sealed.startsWith('gcm:')).toBe(true);
    expect(sealed).not.toContain('upstream-token');
    expect(box.open(sealed)).toBe('upstream-token');
    expect(() => new SecretBox('another-passphrase-of-at-least-32-chars!', '/x').open(sealed)).toThrow(/MXCP_E_AUTH_STORE|unreadable/);
    expect(new SecretBox(undefined, '/x').seal('t')).toBe('plain:t');
    // A Fernet key (32 bytes, URL-safe base64) is accepted as MXCP's auth_encryption_key.
    expect(new SecretBox(Buffer.alloc(32, 7).toString('base64url'), '/x').encrypted).toBe(true);
  });

  it('PKCE S256 matches only the verifier the challenge was made from', () => {
    const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
    expect(pkceMatches(verifier, 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM')).toBe(true);
    expect(pkceMatches(`${verifier.slice(0, -1)}x`, 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM')).toBe(false);
    expect(pkceMatches('short', 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM')).toBe(false);
  });

  it('claim_mappings: top-level URI keys, dotted paths, lists, space-separated scopes, booleans', () => {
    const mappings = {
      'https://example.com/roles': { admin: ['admin.all'] },
      'realm_access.roles': { analyst: ['data.read'] },
      scope: { 'mcp:write': ['data.write'] },
      email_verified: { true: ['verified'] },
    };
    const profile = {
      'https://example.com/roles': ['admin', 'x'],
      realm_access: { roles: ['analyst'] },
      scope: 'openid mcp:write',
      email_verified: true,
    };
    expect(capabilitiesOf(mappings, profile)).toEqual(['admin.all', 'data.read', 'data.write', 'verified']);
    expect(capabilitiesOf(mappings, {})).toEqual([]);
  });
});
