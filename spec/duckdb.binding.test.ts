/** `$name` parameters: every ParamValue kind binds to the right DuckDB type, never by interpolation. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabaseAccess } from '../daemon/duckdb/database-access.js';
import { DuckDBRuntime } from '../daemon/duckdb/runtime.js';
import { DateParam, TimeParam, TimestampParam } from '../daemon/types/values.js';
import { isMxcpError } from '../sdk/errors/index.js';

const logger = pino({ level: 'silent' });
let dir: string;
let db: DuckDBRuntime;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mxcp-duckdb-bind-'));
  db = await DuckDBRuntime.open({
    path: join(dir, 'db.duckdb'),
    readonly: false,
    extensions: [],
    secrets: [],
    queryTimeoutMs: 10_000,
    poolSize: 2,
    logger,
  });
});
afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Binds `value` as `$p` and returns its JSON form and DuckDB type. */
async function bound(value: unknown): Promise<{ v: unknown; t: unknown }> {
  const r = await db.query('SELECT $p AS v, typeof($p) AS t', { p: value });
  return r.rows[0] as { v: unknown; t: unknown };
}

describe('parameter binding', () => {
  it('binds each scalar kind to its DuckDB type', async () => {
    expect(await bound(null)).toEqual({ v: null, t: '"NULL"' });
    expect(await bound(true)).toEqual({ v: true, t: 'BOOLEAN' });
    expect(await bound(42)).toEqual({ v: 42, t: 'BIGINT' });
    expect(await bound(-2.5)).toEqual({ v: -2.5, t: 'DOUBLE' });
    expect(await bound(1e20)).toEqual({ v: 1e20, t: 'DOUBLE' });
    expect(await bound(9007199254740993n)).toEqual({ v: '9007199254740993', t: 'BIGINT' });
    expect(await bound(2n ** 100n)).toEqual({ v: String(2n ** 100n), t: 'HUGEINT' });
    expect(await bound('héllo')).toEqual({ v: 'héllo', t: 'VARCHAR' });
    expect(await bound(new DateParam('2024-02-29'))).toEqual({ v: '2024-02-29', t: 'DATE' });
    expect(await bound(new TimeParam('13:45:30.25'))).toEqual({ v: '13:45:30.250000', t: 'TIME' });
    const naive = new TimestampParam('2024-01-02T03:04:05', BigInt(Date.UTC(2024, 0, 2, 3, 4, 5)) * 1000n, false);
    expect(await bound(naive)).toEqual({ v: '2024-01-02T03:04:05', t: 'TIMESTAMP' });
    const aware = new TimestampParam('2024-01-02T03:04:05+02:00', BigInt(Date.UTC(2024, 0, 2, 1, 4, 5)) * 1000n, true);
    expect(await bound(aware)).toEqual({ v: '2024-01-02T01:04:05+00:00', t: 'TIMESTAMP WITH TIME ZONE' });
    expect(await bound(new Date(Date.UTC(2000, 0, 1)))).toEqual({ v: '2000-01-01T00:00:00+00:00', t: 'TIMESTAMP WITH TIME ZONE' });
    expect(await bound(new Uint8Array([1, 2, 3]))).toEqual({ v: 'AQID', t: 'BLOB' });
  });

  it('binds a number as the type DuckDB inferred for the parameter, and the default way when it does not fit', async () => {
    await db.query(`CREATE OR REPLACE TABLE typed AS SELECT 7::INTEGER AS i32, 7::SMALLINT AS i16, 7::TINYINT AS i8,
      7::UINTEGER AS u32, 7::USMALLINT AS u16, 7::UTINYINT AS u8, 7::UBIGINT AS u64, 7.5::DOUBLE AS d`);
    const hits = async (column: string, p: unknown): Promise<unknown> =>
      (await db.query(`SELECT count(*) AS n FROM typed WHERE ${column} = $p`, { p })).rows[0]?.n;
    for (const column of ['i32', 'i16', 'i8', 'u32', 'u16', 'u8', 'u64']) {
      expect(await hits(column, 7)).toBe(1);
      expect(await hits(column, 8)).toBe(0);
      // Outside the column type's range, or not integral: bound as BIGINT / DOUBLE, DuckDB compares, no error.
      expect(await hits(column, 3_000_000_000_000)).toBe(0);
      expect(await hits(column, -300)).toBe(0);
      expect(await hits(column, 7.25)).toBe(0);
    }
    expect(await hits('d', 7.5)).toBe(1);
    expect(await hits('d', 7)).toBe(0);
    expect(await hits('d', Number.NaN)).toBe(0);
    // Arithmetic leaves the parameter's type open: still BIGINT, so INTEGER * 100000 does not overflow.
    expect((await db.query('SELECT i32 * $p * 1000000 AS v FROM typed', { p: 100000 })).rows[0]?.v).toBe(700_000_000_000);
  });

  it('binds arrays as LISTs and objects as STRUCTs, unifying element types', async () => {
    expect(await bound([1, 2, 3])).toEqual({ v: [1, 2, 3], t: 'BIGINT[]' });
    expect(await bound([1, 2.5, null])).toEqual({ v: [1, 2.5, null], t: 'DOUBLE[]' });
    expect(await bound(['a', 'b'])).toEqual({ v: ['a', 'b'], t: 'VARCHAR[]' });
    expect((await bound([])).v).toEqual([]);
    expect(await bound([new DateParam('2020-01-01')])).toEqual({ v: ['2020-01-01'], t: 'DATE[]' });
    expect(await bound({ a: 1, b: 'x', c: [true] })).toEqual({
      v: { a: 1, b: 'x', c: [true] },
      t: 'STRUCT(a BIGINT, b VARCHAR, c BOOLEAN[])',
    });
    expect((await bound([{ a: 1 }, { b: 'x' }])).v).toEqual([
      { a: 1, b: null },
      { a: null, b: 'x' },
    ]);
    expect((await bound([[1], [2, 3]])).v).toEqual([[1], [2, 3]]);
  });

  it('uses bound lists in SQL: list_contains and IN over unnest', async () => {
    await db.query('CREATE OR REPLACE TABLE items AS SELECT range AS id FROM range(10)');
    const r = await db.query('SELECT id FROM items WHERE list_contains($ids, id) ORDER BY id', { ids: [2, 4, 99] });
    expect(r.rows).toEqual([{ id: 2 }, { id: 4 }]);
  });

  it('binds an injection attempt as a literal value', async () => {
    await db.query('CREATE OR REPLACE TABLE t AS SELECT 1 AS a');
    const evil = "'; DROP TABLE t; --";
    const r = await db.query('SELECT $s AS s, (SELECT count(*) FROM t) AS n', { s: evil });
    expect(r.rows).toEqual([{ s: evil, n: 1 }]);
    expect((await db.query('SELECT count(*) AS n FROM t')).rows).toEqual([{ n: 1 }]);
  });

  it('rejects values that cannot be bound with a coded error naming the parameter', async () => {
    for (const [value, detail] of [
      [['a', 1], /mixes/],
      [{}, /empty object/],
      [() => 1, /function/],
      [2n ** 200n, /128-bit/],
    ] as const) {
      const err = await db.query('SELECT $p AS v', { p: value }).catch((e: unknown) => e);
      expect(isMxcpError(err) && err.code).toBe('MXCP_E_DB_PARAM');
      expect((err as Error).message).toMatch(/cannot bind parameter \$p/);
      expect((err as Error).message).toMatch(detail);
    }
  });

  it('reports a parameter the SQL uses but the call does not give; ignores extra ones', async () => {
    const err = await db.query('SELECT $a AS a', { b: 1 }).catch((e: unknown) => e);
    expect(isMxcpError(err) && err.code).toBe('MXCP_E_DB_QUERY');
    expect((err as Error).message).toMatch(/^Failed to execute SQL: .*a/);
    expect((await db.query('SELECT 1 AS one', { unused: 1 })).rows).toEqual([{ one: 1 }]);
  });

  it('does not leak a binding from one call of a cached statement into the next', async () => {
    const sql = 'SELECT $x AS x';
    expect((await db.query(sql, { x: 'first' })).rows).toEqual([{ x: 'first' }]);
    const err = await db.query(sql, {}).catch((e: unknown) => e);
    expect(isMxcpError(err) && err.code).toBe('MXCP_E_DB_QUERY');
  });

  it('runs multi-statement SQL in order with parameters and returns the last result', async () => {
    const r = await db.query(
      `CREATE OR REPLACE TABLE ms (id BIGINT, name VARCHAR);
       INSERT INTO ms VALUES ($id, $name);
       INSERT INTO ms VALUES ($id + 1, 'two');
       SELECT * FROM ms ORDER BY id`,
      { id: 7, name: 'seven' },
    );
    expect(r.rows).toEqual([
      { id: 7, name: 'seven' },
      { id: 8, name: 'two' },
    ]);
    expect(r.columns).toEqual([
      { name: 'id', type: 'BIGINT' },
      { name: 'name', type: 'VARCHAR' },
    ]);
  });

  it('wraps DuckDB errors as Failed to execute SQL, and refuses SQL with no statement', async () => {
    const err = await db.query('SELECT * FROM no_such_table').catch((e: unknown) => e);
    expect(isMxcpError(err) && err.code).toBe('MXCP_E_DB_QUERY');
    expect((err as Error).message).toMatch(/^Failed to execute SQL: Catalog Error: Table with name no_such_table does not exist/);
    const syntax = await db.query('SELEC 1').catch((e: unknown) => e);
    expect((syntax as Error).message).toMatch(/^Failed to execute SQL: Parser Error/);
    const empty = await db.query('  -- only a comment\n').catch((e: unknown) => e);
    expect((empty as Error).message).toBe('Failed to execute SQL: the SQL text contains no statement');
  });

  it('leaves no transaction open on a pooled connection after a failure inside one', async () => {
    await db.query('CREATE OR REPLACE TABLE tx (a INT)');
    await expect(db.query('BEGIN; INSERT INTO tx VALUES (1); SELECT * FROM missing_table')).rejects.toThrow(/missing_table/);
    for (let i = 0; i < 4; i++) expect((await db.query('SELECT count(*) AS n FROM tx')).rows).toEqual([{ n: 0 }]);
  });

  it('serves DatabaseAccess.execute for executors, with the context user', async () => {
    const access = createDatabaseAccess(db);
    const rows = await access.execute(
      'SELECT $n * 2 AS n, get_username() AS u',
      { n: 21 },
      {
        transport: 'cli',
        user: { provider: 'cli', userId: 'u1', username: 'ada', capabilities: [] },
      },
    );
    expect(rows).toEqual([{ n: 42, u: 'ada' }]);
  });
});
