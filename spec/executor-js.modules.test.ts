// Loading endpoint modules without a build step: TypeScript in memory, helper imports, `mxcp/sdk` resolution,
// export lookup, and the load errors prepare reports per endpoint.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import createExecutor from '../plugins/executor-js/index.js';
import { Errors } from '../sdk/errors/index.js';
import type { ExecutableEndpoint, Executor } from '../sdk/executor.js';
import { callContext, duckDatabase, endpoint, kProjectRoot, listing, type TestDatabase, testHost } from './fixtures/executor-js/harness.js';

describe('executor-js: module loading', () => {
  let db: TestDatabase;
  let executor: Executor;
  let problems: ReadonlyMap<string, Error>;
  let before: string[];
  const tmp = mkdtempSync(join(tmpdir(), 'mxcp-exec-js-'));
  const syntaxFile = join(tmp, 'syntax.ts');
  const jsSyntaxFile = join(tmp, 'syntax.js');
  const endpoints: ExecutableEndpoint[] = [
    endpoint('rows_tool', 'ts/rows.ts'),
    endpoint('where_am_i', 'ts/rows.ts'),
    endpoint('js_tool', 'js/plain.js'),
    endpoint('mjs_tool', 'js/other.mjs'),
    endpoint('res://main/{id}', 'ts/resource.ts', 'resource'),
    endpoint('res://stem', 'ts/stem_resource.ts', 'resource'),
    endpoint('res://default', 'js/other.mjs', 'resource'),
    endpoint('missing_tool', 'broken/no_export.ts'),
    endpoint('bad_import', 'broken/bad_import.ts'),
    { kind: 'tool', name: 'syntax_tool', source: { language: 'typescript', file: syntaxFile }, parameterNames: [] },
    { kind: 'tool', name: 'js_syntax', source: { language: 'javascript', file: jsSyntaxFile }, parameterNames: [] },
    { kind: 'tool', name: 'inline_tool', source: { language: 'javascript', code: 'return 1' }, parameterNames: [] },
  ];

  beforeAll(async () => {
    writeFileSync(syntaxFile, 'export function syntax_tool(): string {\n  const x: number = ;\n  return String(x);\n}\n');
    writeFileSync(jsSyntaxFile, 'export function js_syntax() {\n  return 1 +;\n}\n');
    before = listing(kProjectRoot);
    db = await duckDatabase();
    executor = createExecutor(testHost(db), { threads: 2 });
    problems = await executor.prepare(endpoints);
  });

  afterAll(async () => {
    await executor.close();
    db.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  const run = (name: string, params: Record<string, unknown> = {}) =>
    executor.execute(endpoints.find((e) => e.name === name)!, params, callContext());

  it('runs a TS endpoint that imports a helper .ts file and returns rows from db.execute', async () => {
    expect(await run('rows_tool', { x: 1 })).toEqual([{ v: 1 }]);
    expect(db.queries.at(-1)).toMatchObject({ sql: 'SELECT $x AS v', params: { x: 1 } });
  });

  it('maps stack traces of TS endpoints to the .ts source lines', async () => {
    const stack = (await run('where_am_i')) as string;
    expect(stack).toMatch(/ts\/rows\.ts:13:\d+/);
  });

  it('runs JS endpoints (.js and .mjs), with `mxcp` resolving to the SDK', async () => {
    expect(await run('js_tool', { a: 2, b: 3 })).toEqual({ sum: 5, project: 'demo' });
    expect(await run('mjs_tool', { word: 'hi' })).toBe('HI');
  });

  it('finds a resource function as main, then the default export, then the file stem', async () => {
    expect(await run('res://main/{id}', { id: '7' })).toEqual({ id: '7', via: 'main' });
    expect(await run('res://default')).toBe('default export');
    expect(await run('res://stem')).toBe('via stem');
  });

  it('reports a missing export per endpoint, with the MXCP message', () => {
    const err = problems.get('missing_tool');
    expect(err).toBeInstanceOf(Errors.MXCP_E_EXEC_EXPORT_MISSING);
    expect(err?.message).toBe("Function 'missing_tool' not found in broken/no_export.ts");
  });

  it('reports a syntax error with the file and position', () => {
    const err = problems.get('syntax_tool') as InstanceType<typeof Errors.MXCP_E_EXEC_MODULE_LOAD>;
    expect(err).toBeInstanceOf(Errors.MXCP_E_EXEC_MODULE_LOAD);
    expect(err.message).toBe(`Failed to load ${syntaxFile}:2:21: Unexpected ";"`);
    expect(err.location).toMatchObject({ file: syntaxFile, line: 2, column: 21 });
    expect(err.cause).toBeInstanceOf(Error);
  });

  it('reports a syntax error in a JS module with the file and position', () => {
    const err = problems.get('js_syntax') as InstanceType<typeof Errors.MXCP_E_EXEC_MODULE_LOAD>;
    expect(err).toBeInstanceOf(Errors.MXCP_E_EXEC_MODULE_LOAD);
    expect(err.message).toBe(`Failed to load ${jsSyntaxFile}:2:13: Unexpected ";"`);
    expect(err.location).toMatchObject({ file: jsSyntaxFile, line: 2, column: 13 });
  });

  it('reports a failed import of the module', () => {
    const err = problems.get('bad_import');
    expect(err).toBeInstanceOf(Errors.MXCP_E_EXEC_MODULE_LOAD);
    expect(err?.message).toMatch(/^Failed to load broken\/bad_import\.ts: .*does-not-exist/);
  });

  it('refuses inline code and reports exactly the broken endpoints', () => {
    expect(problems.get('inline_tool')?.message).toContain('must specify source.file');
    expect([...problems.keys()].sort()).toEqual(['bad_import', 'inline_tool', 'js_syntax', 'missing_tool', 'syntax_tool']);
  });

  it('does not serve an endpoint that failed to load', async () => {
    await expect(run('missing_tool')).rejects.toBeInstanceOf(Errors.MXCP_E_EXEC_NOT_PREPARED);
  });

  it('writes nothing under the project directory', () => {
    expect(listing(kProjectRoot)).toEqual(before);
  });
});
