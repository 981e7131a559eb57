/** What `mxcp validate` asks of the runtime: PREPARE-style checks and the first statement's parameters. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBRuntime } from '../daemon/duckdb/runtime.js';
import { firstStatementParameters, scanSql } from '../daemon/duckdb/sql-text.js';

const logger = pino({ level: 'silent' });
let dir: string;
let db: DuckDBRuntime;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mxcp-duckdb-validate-'));
  db = await DuckDBRuntime.open({
    path: join(dir, 'db.duckdb'),
    readonly: false,
    extensions: [],
    secrets: [],
    queryTimeoutMs: 10_000,
    poolSize: 2,
    logger,
  });
  await db.query('CREATE TABLE users (id INT, name VARCHAR)');
});
afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('prepareCheck', () => {
  it('accepts SQL whose tables and columns exist, with unbound parameters', async () => {
    expect(await db.prepareCheck('SELECT id, name FROM users WHERE id = $id')).toEqual({ ok: true });
  });

  it('reports a missing table, a missing column and a syntax error with DuckDB’s message', async () => {
    const table = await db.prepareCheck('SELECT * FROM orders');
    expect(table).toMatchObject({ ok: false });
    expect(!table.ok && table.error).toMatch(/^Catalog Error: Table with name orders does not exist/);
    const column = await db.prepareCheck('SELECT email FROM users');
    expect(!column.ok && column.error).toMatch(/Binder Error: .*email/);
    const syntax = await db.prepareCheck('SELEC 1');
    expect(!syntax.ok && syntax.error).toMatch(/^Parser Error: syntax error/);
    expect(await db.prepareCheck('-- nothing')).toEqual({ ok: false, error: 'the SQL text contains no statement' });
  });

  it('executes nothing: a checked INSERT or CREATE leaves the database unchanged', async () => {
    expect(await db.prepareCheck("INSERT INTO users VALUES (1, 'a')")).toEqual({ ok: true });
    expect(await db.prepareCheck('CREATE TABLE made_by_check (a INT)')).toEqual({ ok: true });
    expect((await db.query('SELECT count(*) AS n FROM users')).rows).toEqual([{ n: 0 }]);
    expect((await db.query("SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 'made_by_check'")).rows).toEqual([{ n: 0 }]);
  });

  it('checks statements after SELECTs, but not after one whose effects a later statement may need', async () => {
    const second = await db.prepareCheck('SELECT 1; SELECT * FROM nope');
    expect(!second.ok && second.error).toMatch(/nope/);
    expect(await db.prepareCheck('CREATE TABLE later (a INT); SELECT a FROM later')).toEqual({ ok: true });
  });
});

describe('named parameters of the first statement', () => {
  it('come from DuckDB when the statement binds, in order of use, without duplicates or positionals', async () => {
    expect(await db.namedParameters('SELECT * FROM users WHERE id = $id AND name = $name OR id = $id')).toEqual(['id', 'name']);
    expect(await db.namedParameters('SELECT $1 AS a')).toEqual([]);
    expect(await db.namedParameters('SELECT $a AS a; SELECT $b AS b')).toEqual(['a']);
  });

  it('come from the SQL text when binding fails (a table that does not exist yet)', async () => {
    expect(await db.namedParameters('SELECT * FROM not_yet WHERE x = $x AND y = $y')).toEqual(['x', 'y']);
  });

  it('are read from the text without a database, skipping quotes, comments and dollar quoting', () => {
    const sql = `-- $c1 in a comment
      SELECT '$s1 in a string', "$i1 in an identifier", E'it\\'s $s2', $$ $d1 $$, $tag$ $d2 $tag$ /* $c2 /* nested $c3 */ $c4 */,
        $first, $second_2 , $1, $first
      FROM t; SELECT $other`;
    expect(firstStatementParameters(sql)).toEqual(['first', 'second_2']);
    expect(scanSql(' ; -- x\n /* y */ ').hasStatement).toBe(false);
    expect(scanSql('SELECT 1').hasStatement).toBe(true);
  });
});
