/**
 * Property: a SQL parameter can never change the query's meaning. For any string, number, list or nested
 * object bound as `$p`, the statement returns exactly the value it was given (no interpolation, no quoting
 * games), a lookup by `$p` matches only rows equal to it, and the database is unchanged afterwards.
 * fast-check with a fixed seed; reproduce a failure with its printed seed and path.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBRuntime } from '../daemon/duckdb/runtime.js';

let dir: string;
let db: DuckDBRuntime;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mxcp-duckdb-prop-'));
  db = await DuckDBRuntime.open({
    path: join(dir, 'db.duckdb'),
    readonly: false,
    extensions: [],
    secrets: [],
    queryTimeoutMs: 10_000,
    poolSize: 2,
    logger: pino({ level: 'silent' }),
  });
  await db.query("CREATE TABLE users AS SELECT * FROM (VALUES (1, 'ann'), (2, 'bob')) AS t(id, name)");
});
afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Strings built to look like SQL: quotes, comments, statement ends, other placeholders, NULs, unicode. */
const sqlish = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }).map((s) => s.replaceAll('\u0000', '')),
  fc
    .array(
      fc.constantFrom(
        "'",
        '"',
        ';',
        '--',
        '/*',
        '*/',
        '$p',
        '$1',
        '?',
        ' OR 1=1',
        'DROP TABLE users',
        ')',
        '\\',
        '\n',
        'ann',
        '💥',
        '%',
        '_',
      ),
      { maxLength: 12 },
    )
    .map((parts) => parts.join('')),
);

const kRuns = { seed: 20261124, numRuns: 300 };

describe('SQL parameters never change the query', () => {
  it('any string comes back unchanged and matches only an equal row', async () => {
    await fc.assert(
      fc.asyncProperty(sqlish, async (s) => {
        const r = await db.query('SELECT $p AS v, (SELECT count(*) FROM users WHERE name = $p) AS n', { p: s });
        expect(r.rows).toEqual([{ v: s, n: s === 'ann' || s === 'bob' ? 1 : 0 }]);
      }),
      kRuns,
    );
    expect((await db.query('SELECT count(*) AS n FROM users')).rows).toEqual([{ n: 2 }]);
  });

  it('lists and nested objects of such strings round-trip as values', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(sqlish, { minLength: 1, maxLength: 5 }), sqlish, async (list, inner) => {
        const r = await db.query('SELECT $l AS l, $o AS o, len($l) AS n', { l: list, o: { k: inner, deep: { k: inner } } });
        expect(r.rows).toEqual([{ l: list, o: { k: inner, deep: { k: inner } }, n: list.length }]);
      }),
      { ...kRuns, numRuns: 150 },
    );
    expect((await db.query('SELECT count(*) AS n FROM users')).rows).toEqual([{ n: 2 }]);
  });

  it('numbers bind as numbers: comparisons never turn into text matches or expressions', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })), async (x) => {
        const r = await db.query('SELECT count(*) AS n FROM users WHERE id = $p', { p: x });
        expect(r.rows).toEqual([{ n: x === 1 || x === 2 ? 1 : 0 }]);
      }),
      kRuns,
    );
  });
});
