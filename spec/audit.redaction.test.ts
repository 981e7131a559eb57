/**
 * Redaction rules and the record builder, in-process: sensitive plans at any depth, secret values (which
 * resolved values count), JSON safety of whatever a result holds, key order.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildAuditRecord, callerOf } from '../daemon/audit/record.js';
import { redact, redactText, sensitiveValues, typePlan } from '../daemon/audit/redaction.js';
import { secretValues } from '../daemon/audit/secret-values.js';
import { DateParam } from '../daemon/types/values.js';

const kSchema = JSON.parse(readFileSync(new URL('../config/schemas/audit-record.schema.json', import.meta.url), 'utf8')) as {
  required: string[];
};

describe('audit redaction', () => {
  it('derives plans from sensitive flags at any depth (object properties, array items)', () => {
    expect(typePlan({ type: 'string' })).toBeUndefined();
    expect(typePlan({ type: 'string', sensitive: true })).toBe(true);
    const plan = typePlan({
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: { type: 'integer' },
          ssn: { type: 'string', sensitive: true },
          tags: { type: 'array', items: { type: 'string' } },
        },
      },
    });
    expect(plan).toEqual({ items: { props: { ssn: true } } });
    expect(redact([{ id: 1, ssn: '123-45-6789', tags: ['a'] }, { id: 2 }], plan, [])).toEqual([
      { id: 1, ssn: '[REDACTED]', tags: ['a'] },
      { id: 2 },
    ]);
  });

  it('redacts a sensitive value whatever its type, and text where sensitive structure was expected', () => {
    const plan = { props: { card: { props: { number: true as const } }, pin: true as const } };
    expect(redact({ pin: 1234, card: { number: 4111, holder: 'Ada' } }, plan, [])).toEqual({
      pin: '[REDACTED]',
      card: { number: '[REDACTED]', holder: 'Ada' },
    });
    expect(redact({ card: '{"number":"4111"}' }, plan, [])).toEqual({ card: '[REDACTED]' });
    expect(sensitiveValues({ pin: 1234, card: { number: '4111-1111' } }, plan)).toEqual(['4111-1111', '1234']);
  });

  it('replaces secret values whole or inside text (4+ characters), never mutating the input', () => {
    const secrets = ['hunter2-long', 'abc'];
    const input = { a: 'hunter2-long', b: 'user:hunter2-long@host', c: 'abc', d: 'abcdef', list: ['hunter2-long'] };
    const frozen = structuredClone(input);
    expect(redact(input, undefined, secrets)).toEqual({
      a: '[REDACTED]',
      b: 'user:[REDACTED]@host',
      c: '[REDACTED]',
      d: 'abcdef',
      list: ['[REDACTED]'],
    });
    expect(input).toEqual(frozen);
    expect(redactText('connect failed for hunter2-long', secrets)).toBe('connect failed for [REDACTED]');
  });

  it('makes any result JSON-safe: bigint, Date, tagged temporals, typed arrays, cycles, undefined', () => {
    const cyclic: Record<string, unknown> = { name: 'x' };
    cyclic.self = cyclic;
    const shared = { v: 1 };
    const out = redact(
      {
        big: 2n ** 70n,
        small: 5n,
        when: new Date('2025-01-15T10:00:00Z'),
        day: new DateParam('2025-01-15'),
        bytes: new Uint8Array([1, 2]),
        cyclic,
        a: shared,
        b: shared,
        u: undefined,
        nan: Number.NaN,
      },
      undefined,
      [],
    );
    expect(out).toEqual({
      big: '1180591620717411303424',
      small: 5,
      when: '2025-01-15T10:00:00.000Z',
      day: '2025-01-15',
      bytes: 'AQI=',
      cyclic: { name: 'x', self: '[Circular]' },
      a: { v: 1 },
      b: { v: 1 },
      u: null,
      nan: 'NaN',
    });
    expect(() => JSON.stringify(out)).not.toThrow();
  });

  it('counts as secret: secret parameters and credential-named keys; not numbers, booleans or other values', () => {
    const secrets = secretValues([
      { path: ['projects', 'p', 'profiles', 'dev', 'secrets', 0, 'parameters', 'password'], backend: 'env', value: 'pw-123456' },
      { path: ['projects', 'p', 'profiles', 'dev', 'secrets', 0, 'parameters', 'host'], backend: 'env', value: 'db.internal' },
      { path: ['projects', 'p', 'profiles', 'dev', 'secrets', 0, 'parameters', 'port'], backend: 'env', value: '5432' },
      { path: ['projects', 'p', 'profiles', 'dev', 'auth', 'github', 'client_secret'], backend: 'vault', value: 'gh-secret' },
      { path: ['projects', 'p', 'profiles', 'dev', 'auth', 'github', 'client_id'], backend: 'env', value: 'gh-client-id' },
      { path: ['transport', 'http', 'port'], backend: 'env', value: '8000' },
      { path: ['models', 'm', 'api_key'], backend: 'env', value: 'sk-xyz' },
      { path: ['profiles', 'dev', 'duckdb', 'readonly'], backend: 'env', value: 'true' },
    ]);
    expect(secrets).toEqual(['db.internal', 'pw-123456', 'gh-secret', 'sk-xyz']);
  });

  it('builds records with every key, in schema order; caller from the transport', () => {
    const rec = buildAuditRecord(
      {
        type: 'tool',
        name: 't',
        caller: callerOf('streamable-http'),
        context: {
          transport: 'streamable-http',
          sessionId: 's1',
          requestId: '7',
          user: { provider: 'github', userId: 'u1', username: 'ada', capabilities: [] },
        },
        generation: 3,
        input: { q: 'x' },
      },
      { startedAt: Date.UTC(2025, 0, 15), durationMs: 1.23456, failed: false, output: [1], policyDecision: 'warn', reason: 'masked' },
      { includeOutput: true, secrets: [] },
    );
    expect(Object.keys(rec)).toEqual(kSchema.required);
    expect(rec).toMatchObject({
      timestamp: '2025-01-15T00:00:00.000Z',
      caller: 'http',
      duration_ms: 1.235,
      policy_decision: 'warn',
      reason: 'masked',
      user_id: 'u1',
      username: 'ada',
      session_id: 's1',
      request_id: '7',
      output: [1],
      generation: 3,
    });
    expect(callerOf('stdio')).toBe('stdio');
    expect(callerOf('sse')).toBe('http');
    expect(callerOf('cli')).toBe('cli');
  });
});
