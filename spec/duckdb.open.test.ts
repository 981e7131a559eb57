/** Opening database files: one instance per file per process, read-only, refusals, the cross-process lock. */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuckDBRuntime, type DuckDBRuntimeOptions } from '../daemon/duckdb/runtime.js';
import { isMxcpError } from '../sdk/errors/index.js';

const logger = pino({ level: 'silent' });
let dir: string;
const open: DuckDBRuntime[] = [];

function options(path: string, extra: Partial<DuckDBRuntimeOptions> = {}): DuckDBRuntimeOptions {
  return { path, readonly: false, extensions: [], secrets: [], queryTimeoutMs: 10_000, poolSize: 2, logger, ...extra };
}

async function openDb(path: string, extra: Partial<DuckDBRuntimeOptions> = {}): Promise<DuckDBRuntime> {
  const db = await DuckDBRuntime.open(options(path, extra));
  open.push(db);
  return db;
}

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  return isMxcpError(err) ? err.code : undefined;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mxcp-duckdb-open-'));
});
afterEach(async () => {
  for (const db of open.splice(0)) await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('opening DuckDB files', () => {
  it('refuses :memory: with MXCP’s message', async () => {
    const err = await DuckDBRuntime.open(options(':memory:')).catch((e: unknown) => e);
    expect(isMxcpError(err) && err.code).toBe('MXCP_E_DB_MEMORY');
    expect((err as Error).message).toBe('In-memory databases (:memory:) are not supported. Please use a file-based database.');
  });

  it('creates missing parent directories', async () => {
    const path = join(dir, 'a', 'b', 'db.duckdb');
    const db = await openDb(path);
    expect((await db.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    expect(existsSync(path)).toBe(true);
  });

  it('creates a missing file, then opens it read-only (profile readonly: true on a fresh project)', async () => {
    const path = join(dir, 'data', 'db-prod.duckdb');
    const db = await openDb(path, { readonly: true });
    expect(existsSync(path)).toBe(true);
    expect(db.identity()).toMatchObject({ path, readonly: true });
    expect((await db.query('SELECT 42 AS x')).rows).toEqual([{ x: 42 }]);
  });

  it('fails writes on a read-only database with a clear coded error', async () => {
    const path = join(dir, 'db.duckdb');
    const rw = await DuckDBRuntime.open(options(path));
    await rw.query('CREATE TABLE t (a INT); INSERT INTO t VALUES (1)');
    await rw.close();
    const ro = await openDb(path, { readonly: true });
    expect((await ro.query('SELECT a FROM t')).rows).toEqual([{ a: 1 }]);
    const err = await ro.query('INSERT INTO t VALUES (2)').catch((e: unknown) => e);
    expect(isMxcpError(err) && err.code).toBe('MXCP_E_DB_READONLY');
    expect((err as Error).message).toMatch(/^Failed to execute SQL: the database is open read-only .*INSERT/);
  });

  it('shares one instance between two opens of the same file: a write through one is seen by the other', async () => {
    const path = join(dir, 'shared.duckdb');
    const a = await openDb(path);
    const b = await openDb(join(dir, '.', 'shared.duckdb'));
    expect(b.identity()).toEqual(a.identity());
    await a.query('CREATE TABLE s AS SELECT 7 AS v');
    expect((await b.query('SELECT v FROM s')).rows).toEqual([{ v: 7 }]);
    // Closing one keeps the instance for the other.
    await a.close();
    await b.query('INSERT INTO s VALUES (8)');
    expect((await b.query('SELECT count(*) AS n FROM s')).rows).toEqual([{ n: 2 }]);
  });

  it('refuses to open a file in the other mode while it is open in this process', async () => {
    const path = join(dir, 'mode.duckdb');
    await openDb(path);
    expect(await codeOf(DuckDBRuntime.open(options(path, { readonly: true })))).toBe('MXCP_E_DB_MODE_CONFLICT');
  });

  it('opens a new instance when the file at the path was replaced, keeping the old one for its users', async () => {
    const path = join(dir, 'live.duckdb');
    const backup = join(dir, 'backup.duckdb');
    const seed = await DuckDBRuntime.open(options(backup));
    await seed.query("CREATE TABLE v AS SELECT 'backup' AS src");
    await seed.close();
    const old = await openDb(path);
    await old.query("CREATE TABLE v AS SELECT 'live' AS src; CHECKPOINT");
    renameSync(backup, path);
    const fresh = await openDb(path);
    expect(fresh.identity().ino).not.toBe(old.identity().ino);
    expect((await fresh.query('SELECT src FROM v')).rows).toEqual([{ src: 'backup' }]);
    expect((await old.query('SELECT src FROM v')).rows).toEqual([{ src: 'live' }]);
  });

  it('closes idempotently and refuses queries afterwards with a coded error', async () => {
    const db = await DuckDBRuntime.open(options(join(dir, 'c.duckdb')));
    await Promise.all([db.close(), db.close()]);
    await db.close();
    expect(await codeOf(db.query('SELECT 1'))).toBe('MXCP_E_DB_CLOSED');
    // The instance is gone: the file opens again, in the other mode too.
    const again = await openDb(join(dir, 'c.duckdb'), { readonly: true });
    expect((await again.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  it('waits for a running query before closing', async () => {
    const db = await DuckDBRuntime.open(options(join(dir, 'w.duckdb')));
    const running = db.query('SELECT count(*) AS n FROM range(30000000)');
    await new Promise((r) => setTimeout(r, 5));
    await db.close();
    expect((await running).rows).toEqual([{ n: 30000000 }]);
  });

  it('interrupts queries still running after the close grace period, with MXCP_E_DB_CLOSED', async () => {
    const db = await DuckDBRuntime.open(options(join(dir, 'g.duckdb'), { closeTimeoutMs: 100, queryTimeoutMs: 0 }));
    const running = db.query('SELECT sum(a.range * b.range) AS s FROM range(10000000) a, range(10000000) b');
    await new Promise((r) => setTimeout(r, 20));
    const started = performance.now();
    await db.close();
    expect(performance.now() - started).toBeLessThan(3000);
    expect(await codeOf(running)).toBe('MXCP_E_DB_CLOSED');
  });
});

describe('a database held by another process', () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    child?.kill();
    child = undefined;
  });

  it('gives the coded lock error naming the daemon and the admin socket, with DuckDB’s message as cause', async () => {
    const path = join(dir, 'locked.duckdb');
    const script = `const { DuckDBInstance } = require('@duckdb/node-api');
      DuckDBInstance.create(${JSON.stringify(path)}).then((i) => i.connect()).then(() => { process.stdout.write('ready\\n'); setInterval(() => {}, 1000); });`;
    child = spawn(process.execPath, ['-e', script], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child!.stdout!.once('data', () => resolve());
      child!.once('exit', (code) => reject(new Error(`holder exited with ${code}`)));
    });
    for (const readonly of [false, true]) {
      const err = await DuckDBRuntime.open(options(path, { readonly })).catch((e: unknown) => e);
      expect(isMxcpError(err) && err.code).toBe('MXCP_E_DB_LOCKED');
      const message = (err as Error).message;
      expect(message).toContain(path);
      expect(message).toContain(`PID ${child.pid}`);
      expect(message).toContain('MXCP_ADMIN_ENABLED=1');
      expect(message).not.toMatch(/IO Error/);
      expect(String((err as Error).cause)).toMatch(/Could not set lock/);
    }
  });
});
