/** get_username() and friends read the context of the query that calls them, under concurrency too. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBRuntime } from '../daemon/duckdb/runtime.js';
import type { UserContext } from '../sdk/user-context.js';

const logger = pino({ level: 'silent' });
let dir: string;
let db: DuckDBRuntime;

const user = (i: number): UserContext => ({
  provider: i % 2 ? 'github' : 'keycloak',
  userId: `id-${i}`,
  username: `user-${i}`,
  email: `user-${i}@example.com`,
  externalToken: `token-${i}`,
  capabilities: [],
});

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mxcp-duckdb-ctx-'));
  db = await DuckDBRuntime.open({
    path: join(dir, 'db.duckdb'),
    readonly: false,
    extensions: [],
    secrets: [],
    queryTimeoutMs: 30_000,
    poolSize: 4,
    logger,
  });
  await db.query('CREATE TABLE big AS SELECT range AS n FROM range(100000)');
});
afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('SQL context functions', () => {
  it('return NULL without a user or headers', async () => {
    const r = await db.query(
      "SELECT get_username() AS u, get_user_email() AS e, get_user_provider() AS p, get_user_external_token() AS t, get_request_header('x') AS h, get_request_headers_json() AS j",
    );
    expect(r.rows).toEqual([{ u: null, e: null, p: null, t: null, h: null, j: null }]);
  });

  it('return the caller’s user fields and headers', async () => {
    const headers = { 'x-request-id': 'req-1', 'user-agent': "it's me" };
    const r = await db.query(
      "SELECT get_username() AS u, get_user_email() AS e, get_user_provider() AS p, get_user_external_token() AS t, get_request_header('x-request-id') AS h, get_request_header('X-Request-Id') AS h2, get_request_header('missing') AS h3, get_request_header(NULL) AS h4, get_request_headers_json() AS j",
      {},
      { user: user(1), headers },
    );
    expect(r.rows[0]).toEqual({
      u: 'user-1',
      e: 'user-1@example.com',
      p: 'github',
      t: 'token-1',
      h: 'req-1',
      h2: 'req-1',
      h3: null,
      h4: null,
      j: JSON.stringify(headers),
    });
  });

  it('are not frozen into a cached prepared statement: the same SQL gives each caller their own values', async () => {
    const sql = 'SELECT get_username() AS u';
    for (const i of [1, 2, 3, 1]) expect((await db.query(sql, {}, { user: user(i) })).rows).toEqual([{ u: `user-${i}` }]);
    expect((await db.query(sql)).rows).toEqual([{ u: null }]);
  });

  it('give each of 200 concurrent queries its own user and header', async () => {
    const sql = `SELECT get_username() AS u, get_request_header('x-request-id') AS h, count(*) AS n,
      min(get_username()) AS per_row FROM big WHERE n % $m = 0`;
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => db.query(sql, { m: 1 + (i % 7) }, { user: user(i), headers: { 'x-request-id': `req-${i}` } })),
    );
    results.forEach((r, i) => {
      expect(r.rows[0]).toMatchObject({ u: `user-${i}`, h: `req-${i}`, per_row: `user-${i}` });
    });
  });

  it('read the context inside multi-statement SQL and writes', async () => {
    const r = await db.query(
      'CREATE OR REPLACE TABLE audit_t (who VARCHAR); INSERT INTO audit_t SELECT get_username(); SELECT who FROM audit_t',
      {},
      { user: user(42) },
    );
    expect(r.rows).toEqual([{ who: 'user-42' }]);
  });
});
