/** DuckDB → JSON mapping (docs/duckdb-types.md): every type, through a real table in a real file. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBDecimalValue } from '@duckdb/node-api';
import fc from 'fast-check';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decimalToJson } from '../daemon/duckdb/json-values.js';
import { DuckDBRuntime } from '../daemon/duckdb/runtime.js';

const logger = pino({ level: 'silent' });
let dir: string;
let db: DuckDBRuntime;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mxcp-duckdb-types-'));
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

/** One row of one column: the value as JSON and the column's type name. */
async function one(expr: string): Promise<{ value: unknown; type: string }> {
  const r = await db.query(`SELECT ${expr} AS v`);
  expect(() => JSON.stringify(r)).not.toThrow();
  return { value: r.rows[0]!.v, type: r.columns[0]!.type };
}

describe('DuckDB → JSON', () => {
  it('round-trips a table with a column of every type, and JSON.stringify never throws', async () => {
    await db.query(`CREATE TYPE mood AS ENUM ('happy', 'sad');
      CREATE TABLE every_type (
        b BOOLEAN, ti TINYINT, si SMALLINT, i INTEGER, bi BIGINT, hi HUGEINT, ubi UBIGINT, uhi UHUGEINT,
        f FLOAT, d DOUBLE, dec DECIMAL(18,3), v VARCHAR, bl BLOB, u UUID,
        dt DATE, t TIME, ts TIMESTAMP, tstz TIMESTAMPTZ, ts_s TIMESTAMP_S, ts_ms TIMESTAMP_MS, ts_ns TIMESTAMP_NS, ttz TIMETZ,
        iv INTERVAL, l INTEGER[], a INTEGER[3], s STRUCT(x INTEGER, y VARCHAR), m MAP(VARCHAR, INTEGER), mi MAP(INTEGER, VARCHAR),
        un UNION(num INTEGER, str VARCHAR), e mood, bit BIT, n INTEGER);
      INSERT INTO every_type VALUES (
        true, -8, 300, 70000, 9007199254740993, 170141183460469231731687303715884105727, 18446744073709551615, 42,
        0.1, 2.5, 123456789012345.678, 'héllo', '\\x00\\xFFab'::BLOB, '550e8400-e29b-41d4-a716-446655440000',
        DATE '2024-02-29', TIME '13:45:30.123456', TIMESTAMP '2024-01-02 03:04:05.000006', TIMESTAMPTZ '2024-01-02 03:04:05+02:00',
        TIMESTAMP_S '2024-01-02 03:04:05', TIMESTAMP_MS '2024-01-02 03:04:05.123', TIMESTAMP_NS '2024-01-02 03:04:05.123456789',
        TIMETZ '10:11:12+05:30',
        INTERVAL '1 year 2 months 3 days 4 hours 5 minutes 6.5 seconds', [1, NULL, 3], [1, 2, 3]::INTEGER[3],
        {'x': 1, 'y': 'z'}, MAP {'k1': 1, 'k2': 2}, MAP {1: 'one', 2: 'two'},
        union_value(str := 'member'), 'sad', '10110'::BIT, NULL)`);
    const r = await db.query('SELECT * FROM every_type');
    const text = JSON.stringify(r);
    expect(JSON.parse(text)).toEqual(r);
    expect(Object.keys(r.rows[0]!)).toEqual(r.columns.map((c) => c.name));
    expect(r.rows[0]).toEqual({
      b: true,
      ti: -8,
      si: 300,
      i: 70000,
      bi: '9007199254740993',
      hi: '170141183460469231731687303715884105727',
      ubi: '18446744073709551615',
      uhi: 42,
      f: 0.1,
      d: 2.5,
      dec: '123456789012345.678',
      v: 'héllo',
      bl: Buffer.from([0, 255, 97, 98]).toString('base64'),
      u: '550e8400-e29b-41d4-a716-446655440000',
      dt: '2024-02-29',
      t: '13:45:30.123456',
      ts: '2024-01-02T03:04:05.000006',
      tstz: '2024-01-02T01:04:05+00:00',
      ts_s: '2024-01-02T03:04:05',
      ts_ms: '2024-01-02T03:04:05.123',
      ts_ns: '2024-01-02T03:04:05.123456789',
      ttz: '10:11:12+05:30',
      iv: 'P1Y2M3DT4H5M6.5S',
      l: [1, null, 3],
      a: [1, 2, 3],
      s: { x: 1, y: 'z' },
      m: { k1: 1, k2: 2 },
      mi: [
        { key: 1, value: 'one' },
        { key: 2, value: 'two' },
      ],
      un: 'member',
      e: 'sad',
      bit: '10110',
      n: null,
    });
    const types = Object.fromEntries(r.columns.map((c) => [c.name, c.type]));
    expect(types).toMatchObject({ bi: 'BIGINT', dec: 'DECIMAL(18,3)', l: 'INTEGER[]', s: 'STRUCT("x" INTEGER, "y" VARCHAR)' });
  });

  it('gives 64- and 128-bit integers as numbers while they are safe, else as strings', async () => {
    expect((await one('9007199254740991::BIGINT')).value).toBe(9007199254740991);
    expect((await one('-9007199254740991::HUGEINT')).value).toBe(-9007199254740991);
    expect((await one('-9007199254740992::BIGINT')).value).toBe('-9007199254740992');
    expect((await one('12::UBIGINT')).value).toBe(12);
    expect((await one('(SELECT count(*) FROM range(5))')).value).toBe(5);
  });

  it('gives DECIMAL as a number only when the number denotes exactly the same decimal', async () => {
    expect((await one('1.50::DECIMAL(5,2)')).value).toBe(1.5);
    expect((await one('-0.10::DECIMAL(4,2)')).value).toBe(-0.1);
    expect((await one('0.000::DECIMAL(4,3)')).value).toBe(0);
    expect((await one('12345678901234567.89::DECIMAL(38,2)')).value).toBe('12345678901234567.89');
    expect((await one('0.1234567890123456789::DECIMAL(38,19)')).value).toBe('0.1234567890123456789');
  });

  it('converts DECIMAL exactly on the fast numeric path and the text path alike (property, fixed seed)', () => {
    // Whatever the path, a number result must print as exactly the decimal (checked against an oracle
    // written here, not the converter's own canonical form), a string result must be DuckDB's text of it,
    // and below 15 significant digits the result must be a number.
    const exact = (unscaled: bigint, scale: number): string => {
      const neg = unscaled < 0n;
      const digits = (neg ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
      const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
      return `${neg ? '-' : ''}${text}`;
    };
    const sameDecimal = (a: string, b: string): boolean => {
      const norm = (t: string): string => {
        const m = /^(-?)(\d*)\.?(\d*)(?:e([+-]?\d+))?$/.exec(t) as RegExpExecArray;
        let digits = `${m[2]}${m[3]}`.replace(/^0+/, '');
        let exp = Number(m[4] ?? 0) - (m[3] ?? '').length;
        if (digits === '') return '0';
        while (digits.endsWith('0')) {
          digits = digits.slice(0, -1);
          exp++;
        }
        return `${m[1]}${digits}e${exp}`;
      };
      return norm(a) === norm(b);
    };
    fc.assert(
      fc.property(
        fc.oneof(fc.bigInt({ min: -(10n ** 16n), max: 10n ** 16n }), fc.bigInt({ min: -(10n ** 37n), max: 10n ** 37n })),
        fc.integer({ min: 0, max: 30 }),
        (unscaled, scale) => {
          const out = decimalToJson(new DuckDBDecimalValue(unscaled, 38, scale));
          const text = exact(unscaled, scale);
          if (typeof out === 'number') expect(sameDecimal(String(out), text)).toBe(true);
          else expect(out).toBe(new DuckDBDecimalValue(unscaled, 38, scale).toString());
          // Below 15 significant digits a number is always possible, so the result must be one.
          if ((unscaled < 0n ? -unscaled : unscaled) < 10n ** 15n) expect(typeof out).toBe('number');
        },
      ),
      { seed: 42, numRuns: 5000 },
    );
  });

  it('gives NaN and ±Infinity as null, FLOAT as its shortest decimal', async () => {
    const r = await db.query("SELECT 'NaN'::DOUBLE AS a, 'Infinity'::DOUBLE AS b, '-Infinity'::FLOAT AS c, 3.14::FLOAT AS d");
    expect(r.rows[0]).toEqual({ a: null, b: null, c: null, d: 3.14 });
    expect(JSON.stringify(r.rows)).toBe('[{"a":null,"b":null,"c":null,"d":3.14}]');
  });

  it('writes temporals as ISO 8601, including BC years, infinities and negative intervals', async () => {
    expect((await one("DATE '0001-01-01' - INTERVAL 1 DAY")).value).toBe('0000-12-31T00:00:00');
    expect((await one("'-0044-03-15'::DATE")).value).toBe('-000044-03-15');
    expect((await one("'infinity'::DATE")).value).toBe('infinity');
    expect((await one("'-infinity'::TIMESTAMP")).value).toBe('-infinity');
    expect((await one("TIMESTAMP '1969-12-31 23:59:59.5'")).value).toBe('1969-12-31T23:59:59.500000');
    expect((await one("TIME '00:00:00'")).value).toBe('00:00:00');
    expect((await one("INTERVAL '-1 month 2 days -3.25 seconds'")).value).toBe('P-1M2DT-3.25S');
    expect((await one("INTERVAL '0 seconds'")).value).toBe('PT0S');
    expect((await one("INTERVAL '90 minutes'")).value).toBe('PT1H30M');
  });

  it('keeps nested values JSON-safe: lists of structs with big integers, maps of lists, null members', async () => {
    const r = await one("[{'id': 9007199254740993::BIGINT, 'at': DATE '2020-01-01', 'tags': MAP {'a': [1.5::DECIMAL(3,1)]}}, NULL]");
    expect(r.value).toEqual([{ id: '9007199254740993', at: '2020-01-01', tags: { a: [1.5] } }, null]);
    // The binding builds struct values as plain objects and drops a `__proto__` field: it reads as null.
    expect(JSON.stringify((await one("{'__proto__': 1, 'x': NULL}")).value)).toBe('{"__proto__":null,"x":null}');
    expect((await one('NULL')).value).toBeNull();
  });

  it('names repeated columns apart so row keys stay distinct, and keeps a __proto__ column as data', async () => {
    const r = await db.query('SELECT 1 AS a, 2 AS a, 3 AS "__proto__"');
    expect(r.columns.map((c) => c.name)).toEqual(['a', 'a:1', '__proto__']);
    expect(Object.getPrototypeOf(r.rows[0])).toBe(Object.prototype);
    expect(JSON.stringify(r.rows[0])).toBe('{"a":1,"a:1":2,"__proto__":3}');
  });
});
