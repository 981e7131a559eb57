/** Per-connection setup: user secrets become DuckDB temporary secrets; extensions load or fail fast. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { UserSecret } from '../daemon/config/types.js';
import { DuckDBRuntime, type DuckDBRuntimeOptions } from '../daemon/duckdb/runtime.js';
import { secretStatement } from '../daemon/duckdb/secret-sql.js';
import { isMxcpError } from '../sdk/errors/index.js';

let dir: string;
let lines: string[];
const open: DuckDBRuntime[] = [];

function capturingLogger() {
  lines = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return pino({ level: 'debug' }, sink);
}

async function openDb(extra: Partial<DuckDBRuntimeOptions>): Promise<DuckDBRuntime> {
  const db = await DuckDBRuntime.open({
    path: join(dir, 'db.duckdb'),
    readonly: false,
    extensions: [],
    secrets: [],
    queryTimeoutMs: 10_000,
    poolSize: 2,
    logger: capturingLogger(),
    ...extra,
  });
  open.push(db);
  return db;
}

async function secrets(db: DuckDBRuntime): Promise<Record<string, string>> {
  const r = await db.query('SELECT name, type, secret_string FROM duckdb_secrets() ORDER BY name');
  return Object.fromEntries(r.rows.map((row) => [row.name as string, row.secret_string as string]));
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mxcp-duckdb-secrets-'));
});
afterEach(async () => {
  for (const db of open.splice(0)) await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('user secrets as DuckDB secrets', () => {
  const quoted = "p'); DROP TABLE t; --";
  const userSecrets: UserSecret[] = [
    {
      name: 'api_http',
      type: 'http',
      parameters: { BEARER_TOKEN: 'tok-123', HTTP_PROXY: quoted, EXTRA_HTTP_HEADERS: { 'X-Team': "o'brien" } },
    },
    { name: 'app_db', type: 'custom', parameters: { password: 'hunter2' } },
    { name: 'empty_one', type: 'http', parameters: {} },
  ];

  it('creates the http secret with quote-containing values intact, skips the custom one, injects nothing', async () => {
    const db = await openDb({ secrets: userSecrets });
    await db.query('CREATE TABLE t AS SELECT 1 AS a');
    const created = await secrets(db);
    expect(Object.keys(created)).toEqual(['api_http']);
    // A non-sensitive option shows its stored value: exactly the configured text, quotes and all.
    expect(created.api_http).toContain(`http_proxy=${quoted}`);
    expect(created.api_http).toContain('bearer_token=redacted');
    expect(created.api_http).toMatch(/extra_http_headers=\{X-Team=.*o.*brien/);
    expect((await db.query('SELECT count(*) AS n FROM t')).rows).toEqual([{ n: 1 }]);
    // Visible on every pooled connection.
    const all = await Promise.all([secrets(db), secrets(db), secrets(db)]);
    for (const s of all) expect(Object.keys(s)).toEqual(['api_http']);
  });

  it('logs the skipped secret at debug level, without its values', async () => {
    await openDb({ secrets: userSecrets });
    const log = lines.join('');
    expect(log).toMatch(/app_db/);
    expect(lines.some((l) => l.includes('app_db') && JSON.parse(l).level === 20)).toBe(true);
    for (const value of ['hunter2', 'tok-123', quoted]) expect(log).not.toContain(value);
  });

  it('escapes literals and refuses identifiers that are not plain', () => {
    const stmt = secretStatement({ name: 's', type: 'http', parameters: { K: "a'b", M: { "k'": "v'" }, L: ['x', "y'"] } });
    expect(stmt).toMatchObject({
      ok: true,
      sql: "CREATE OR REPLACE TEMPORARY SECRET s (TYPE http, K 'a''b', M MAP {'k''': 'v'''}, L ['x', 'y'''])",
    });
    expect(secretStatement({ name: 's; DROP TABLE t', type: 'http', parameters: { K: 'v' } }).ok).toBe(false);
    expect(secretStatement({ name: 's', type: 'http) AS x', parameters: { K: 'v' } }).ok).toBe(false);
    expect(secretStatement({ name: 's', type: 'http', parameters: { 'K, TYPE s3': 'v' } }).ok).toBe(false);
  });

  it('replaces changed secrets and drops removed ones when a runtime reuses the instance (reload)', async () => {
    const first = await openDb({
      secrets: [
        { name: 'one', type: 'http', parameters: { HTTP_PROXY: 'old' } },
        { name: 'two', type: 'http', parameters: { HTTP_PROXY: 'x' } },
      ],
    });
    const second = await openDb({ secrets: [{ name: 'one', type: 'http', parameters: { HTTP_PROXY: 'new' } }] });
    const now = await secrets(second);
    expect(Object.keys(now)).toEqual(['one']);
    expect(now.one).toContain('http_proxy=new');
    expect(Object.keys(await secrets(first))).toEqual(['one']);
  });
});

describe('extensions', () => {
  it('loads a built-in extension named in extensions:', async () => {
    const db = await openDb({ extensions: ['json', { name: 'parquet' }] });
    expect((await db.query(`SELECT json_extract('{"a": 1}', '$.a')::INT AS a`)).rows).toEqual([{ a: 1 }]);
  });

  it('fails fast with a coded error naming an extension that cannot be installed', async () => {
    const started = performance.now();
    const err = await openDb({ extensions: ['json', 'mxcp_no_such_extension'] }).catch((e: unknown) => e);
    expect(performance.now() - started).toBeLessThan(20_000);
    expect(isMxcpError(err) && err.code).toBe('MXCP_E_DB_EXTENSION');
    expect((err as Error).message).toMatch(/^Failed to install or load DuckDB extension 'mxcp_no_such_extension': /);
    // The failed open released the file: it opens again.
    const db = await openDb({});
    expect((await db.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  it('refuses an extension name that is not an identifier before touching DuckDB', async () => {
    const err = await openDb({ extensions: ['json; DROP TABLE t'] }).catch((e: unknown) => e);
    expect(isMxcpError(err) && err.code).toBe('MXCP_E_DB_EXTENSION');
    expect((err as Error).message).toContain("'json; DROP TABLE t'");
  });
});
