/**
 * `mxcp run` and `mxcp query` through the real CLI on real DuckDB files (reference sections 7, 8, 14;
 * checklist items 10, 18-41, 58-59). The type rules themselves are pinned in spec/types.*; here each item is
 * shown end to end: CLI strings → conversion → binding → DuckDB → shaping → output validation → JSON.
 */
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { type TempProject, tempProject } from './support/project.js';

const tool = (name: string, body: string) => `mxcp: 1\ntool:\n  name: ${name}\n${body}`;

const kFiles: Record<string, string> = {
  'tools/greet.yml': tool(
    'greet',
    "  parameters:\n    - {name: name, type: string}\n  return: {type: string}\n  source:\n    code: \"SELECT 'Hello, ' || $name || '!' AS greeting\"\n",
  ),
  'tools/echo_types.yml': tool(
    'echo_types',
    [
      '  parameters:',
      '    - {name: limit, type: integer, maximum: 100, default: 1}',
      '    - {name: flag, type: boolean, default: false}',
      '    - {name: ids, type: array, items: {type: integer}, default: []}',
      '    - {name: day, type: string, format: date, default: null}',
      '    - {name: mail, type: string, format: email, default: null}',
      '    - {name: color, type: string, enum: [red, green], default: red}',
      '    - {name: obj, type: object, properties: {a: {type: integer}}, additionalProperties: false, default: {a: 1}}',
      '  return: {type: object}',
      '  source:',
      '    code: SELECT $limit AS lim, typeof($limit) AS lim_type, $flag AS flag, $ids AS ids, $day AS day, typeof($day) AS day_type, $color AS color, $obj AS obj',
      '',
    ].join('\n'),
  ),
  'tools/rows.yml': tool('rows', '  return: {type: array}\n  source:\n    code: SELECT * FROM range(3) t(i)\n'),
  'tools/one_row.yml': tool('one_row', '  return: {type: object}\n  source:\n    code: SELECT * FROM range(2) t(i)\n'),
  'tools/no_row.yml': tool('no_row', '  return: {type: object}\n  source:\n    code: SELECT 1 AS i WHERE false\n'),
  'tools/two_cols.yml': tool('two_cols', '  return: {type: integer}\n  source:\n    code: SELECT 1 AS a, 2 AS b\n'),
  'tools/bad_output.yml': tool(
    'bad_output',
    "  return: {type: object, properties: {n: {type: integer}}}\n  source:\n    code: SELECT 'x' AS n\n",
  ),
  'tools/when.yml': tool(
    'when',
    "  return: {type: object, properties: {t: {type: string}}}\n  source:\n    code: SELECT TIMESTAMP '2024-01-15 10:30:00' AS t\n",
  ),
  'tools/inject.yml': tool(
    'inject',
    '  parameters:\n    - {name: s, type: string}\n  return: {type: string}\n  source:\n    code: SELECT $s AS v\n',
  ),
  'tools/from_file.yml': tool('from_file', '  return: {type: array}\n  source:\n    code: SELECT count(*) AS n FROM items\n'),
  'resources/user.yml':
    'mxcp: 1\nresource:\n  uri: "users://{id}"\n  mime_type: application/json\n  parameters:\n    - {name: id, type: integer}\n  source:\n    code: SELECT $id AS id, \'user\' || $id AS name\n',
  'prompts/topic.yml':
    'mxcp: 1\nprompt:\n  name: topic\n  parameters:\n    - {name: topic, type: string}\n  messages:\n    - role: user\n      type: text\n      prompt: "Tell me about {{ topic }}"\n',
  'ids.json': '[4, 5, 6]',
};

let project: TempProject;
const run = (args: string[], env?: Record<string, string>) => runCli(args, { cwd: project.root, home: project.home, env });
/** One after another: each `mxcp run` opens the DuckDB file read-write, and DuckDB allows one writer process. */
async function inTurn<T>(calls: (() => Promise<T>)[]): Promise<T[]> {
  const out: T[] = [];
  for (const call of calls) out.push(await call());
  return out;
}
const runJson = async (args: string[]) => {
  const r = await run([...args, '--json-output']);
  return { code: r.code, body: r.json<{ status: string; result?: unknown; error?: string }>() };
};

beforeAll(async () => {
  project = tempProject(kFiles);
  const r = await run(['query', 'CREATE TABLE items AS SELECT * FROM range(7) t(i)']);
  expect(r.code, r.stderr).toBe(0);
});
afterAll(() => project.remove());

describe('mxcp run: parameters from the command line', () => {
  it('18, 19: a missing required parameter and an undeclared one exit 1 with MXCP messages', async () => {
    const [missing, unknown] = await inTurn([
      () => runJson(['run', 'tool', 'greet']),
      () => runJson(['run', 'tool', 'greet', '-p', 'name=a', '-p', 'x=1']),
    ]);
    expect(missing.code).toBe(1);
    expect(missing.body.error).toContain('Required parameter missing: name');
    expect(unknown.code).toBe(1);
    expect(unknown.body.error).toContain('Unknown parameter: x');
  });

  it('20-22, 26: integers, booleans (TRUE true, yes false), JSON arrays and @file, dates bind with their types', async () => {
    const [a, b, c] = await inTurn([
      () => runJson(['run', 'tool', 'echo_types', '-p', 'limit=5', '-p', 'flag=TRUE', '-p', 'ids=[1,2]', '-p', 'day=2024-01-15']),
      () => runJson(['run', 'tool', 'echo_types', '-p', 'flag=yes', '-p', 'ids=@ids.json']),
      () => runJson(['run', 'tool', 'echo_types', '-p', 'day=2024/01/15']),
    ]);
    expect(a.body.result).toMatchObject({ lim: 5, lim_type: 'BIGINT', flag: true, ids: [1, 2], day: '2024-01-15', day_type: 'DATE' });
    expect(b.body.result).toMatchObject({ flag: false, ids: [4, 5, 6] });
    expect(c.code).toBe(1);
    expect(c.body.error).toContain("Error validating parameter 'day'");
  });

  it('23-25, 27: enum, maximum, email format and additionalProperties: false are enforced', async () => {
    const [en, max, mail, extra] = await inTurn([
      () => runJson(['run', 'tool', 'echo_types', '-p', 'color=blue']),
      () => runJson(['run', 'tool', 'echo_types', '-p', 'limit=101']),
      () => runJson(['run', 'tool', 'echo_types', '-p', 'mail=foo']),
      () => runJson(['run', 'tool', 'echo_types', '-p', 'obj={"a":1,"b":2}']),
    ]);
    expect(en.body.error).toContain("Invalid value for color. Must be one of: ['red', 'green']");
    expect(max.body.error).toContain('Value must be <= 100');
    expect(mail.body.error).toContain('Invalid email format: foo');
    expect(extra.body.error).toContain('Unexpected property: b');
    for (const r of [en, max, mail, extra]) expect(r.code).toBe(1);
  });

  it('28: a quote-and-DROP value is bound as a literal, never interpolated', async () => {
    const evil = "'; DROP TABLE items; --";
    const r = await runJson(['run', 'tool', 'inject', '-p', `s=${evil}`]);
    expect(r.body.result).toBe(evil);
    const still = await runJson(['run', 'tool', 'from_file']);
    expect(still.body.result).toEqual([{ n: 7 }]);
  });

  it('38: a --param without "=" is a usage error (exit 2)', async () => {
    const r = await run(['run', 'tool', 'greet', '--param', 'bad']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Parameter must be in format name=value or name=@file.json');
  });
});

describe('mxcp run: results', () => {
  it('29, 36: return string gives the bare value; --json-output prints {"status":"ok","result":...}', async () => {
    const r = await run(['run', 'tool', 'greet', '-p', 'name=World', '--json-output']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ status: 'ok', result: 'Hello, World!' });
  });

  it('30-33: object/scalar shaping rules and their errors', async () => {
    const [rows, one, none, cols] = await inTurn([
      () => runJson(['run', 'tool', 'rows']),
      () => runJson(['run', 'tool', 'one_row']),
      () => runJson(['run', 'tool', 'no_row']),
      () => runJson(['run', 'tool', 'two_cols']),
    ]);
    expect(rows.body.result).toEqual([{ i: 0 }, { i: 1 }, { i: 2 }]);
    expect(one.body.error).toContain("Expected single result for return type 'object', but got 2 results");
    expect(none.body.error).toContain('No results returned');
    expect(cols.body.error).toContain("Expected single value for return type 'integer', but got 2 values");
  });

  it('34, 35, 37: output validation fails with exit 1 and a JSON error; --skip-output-validation bypasses; temporals are ISO', async () => {
    const [bad, skipped, when] = await inTurn([
      () => runJson(['run', 'tool', 'bad_output']),
      () => runJson(['run', 'tool', 'bad_output', '--skip-output-validation']),
      () => runJson(['run', 'tool', 'when']),
    ]);
    expect(bad.code).toBe(1);
    expect(bad.body.status).toBe('error');
    expect(bad.body.error).toContain('Output validation failed');
    expect(skipped.code).toBe(0);
    expect(skipped.body.result).toEqual({ n: 'x' });
    expect(when.body.result).toEqual({ t: '2024-01-15T10:30:00' });
  });

  it('39: an unknown tool exits 1 with "Endpoint \'missing\' not found in tools"', async () => {
    const r = await runJson(['run', 'tool', 'missing']);
    expect(r.code).toBe(1);
    expect(r.body.error).toContain("Endpoint 'missing' not found in tools");
  });

  it('40, 41: a resource by its URI template; a prompt renders its messages', async () => {
    const [res, prompt] = await inTurn([
      () => runJson(['run', 'resource', 'users://{id}', '-p', 'id=1']),
      () => runJson(['run', 'prompt', 'topic', '-p', 'topic=ducks']),
    ]);
    expect(res.body.result).toEqual([{ id: 1, name: 'user1' }]);
    expect(prompt.body.result).toEqual([{ prompt: 'Tell me about ducks', role: 'user', type: 'text' }]);
  });
});

describe('mxcp query', () => {
  it('58: SELECT 1 AS a --json-output prints {"status":"ok","result":[{"a":1}]}', async () => {
    const r = await run(['query', 'SELECT 1 AS a', '--json-output']);
    expect(JSON.parse(r.stdout)).toEqual({ status: 'ok', result: [{ a: 1 }] });
  });

  it('59: neither SQL nor --file exits 2; both exits 2', async () => {
    writeFileSync(project.path('q.sql'), 'SELECT 2 AS b');
    const [neither, both] = await inTurn([() => run(['query']), () => run(['query', 'SELECT 1', '--file', 'q.sql'])]);
    const file = await runJson(['query', '--file', 'q.sql']);
    expect(neither.code).toBe(2);
    expect(neither.stderr).toContain('Either SQL query or --file must be provided');
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('Cannot provide both SQL query and --file');
    expect(file.body.result).toEqual([{ b: 2 }]);
  });

  it('10: MXCP_DUCKDB_PATH makes queries run against that file', async () => {
    const other = project.path('elsewhere/x.duckdb');
    const env = { MXCP_DUCKDB_PATH: other };
    const made = await run(['query', 'CREATE TABLE marker AS SELECT 42 AS v'], env);
    expect(made.code, made.stderr).toBe(0);
    const [there, here] = await inTurn([
      () => runCli(['query', 'SELECT v FROM marker', '--json-output'], { cwd: project.root, home: project.home, env }),
      () => run(['query', "SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'marker'", '--json-output']),
    ]);
    expect(there.json<{ result: unknown }>().result).toEqual([{ v: 42 }]);
    expect(here.json<{ result: unknown }>().result).toEqual([{ n: 0 }]);
  });
});
