/**
 * 200 concurrent executions mixing SQL and TypeScript endpoints, each with its own user and parameter,
 * through the real pipeline of a real generation: every result must be its own (no mixing of parameters,
 * users, or connections' context between calls).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProject } from '../daemon/config/project.js';
import { invokeEndpoint, lookupEndpoint } from '../daemon/engine/invoke.js';
import { userContextFromJson } from '../daemon/engine/user-context.js';
import { buildGeneration } from '../daemon/generation/build-generation.js';
import type { Generation } from '../daemon/generation/generation.js';
import { createLogger } from '../daemon/logging/logger.js';
import { type TempProject, tempProject } from './support/project.js';

const kFiles = {
  'tools/sql_who.yml':
    "mxcp: 1\ntool:\n  name: sql_who\n  parameters:\n    - {name: n, type: integer}\n  return: {type: object}\n  source:\n    code: SELECT $n AS n, get_username() AS who, get_request_header('x-n') AS header\n",
  'tools/ts_who.yml':
    'mxcp: 1\ntool:\n  name: ts_who\n  language: typescript\n  parameters:\n    - {name: n, type: integer}\n  return: {type: object}\n  source:\n    file: ../ts/who.ts\n',
  'ts/who.ts': [
    "import { db, getUserContext } from 'mxcp/sdk';",
    'export async function ts_who({ n }: { n: number }) {',
    "  const rows = await db.execute('SELECT $n AS n, get_username() AS who', { n });",
    '  return { n, who: getUserContext()?.username, sqlWho: rows[0]?.who, sqlN: rows[0]?.n };',
    '}',
    '',
  ].join('\n'),
};

let project: TempProject;
let generation: Generation;

beforeAll(async () => {
  project = tempProject(kFiles);
  const config = await loadProject({ cwd: project.root, env: { HOME: project.home }, home: project.home });
  generation = await buildGeneration({ id: 1, project: config, logger: createLogger('silent') });
  expect(generation.failed).toEqual([]);
}, 60_000);

afterAll(async () => {
  await generation?.close('command');
  project?.remove();
});

describe('concurrent executions', () => {
  it('200 mixed SQL and TS calls with 200 users each get their own parameters and identity', async () => {
    const sql = lookupEndpoint(generation, 'tool', 'sql_who');
    const ts = lookupEndpoint(generation, 'tool', 'ts_who');
    const calls = Array.from({ length: 200 }, async (_, n) => {
      const user = userContextFromJson({ username: `user${n}` }, 'cli');
      const headers = { 'x-n': String(n) };
      const endpoint = n % 2 === 0 ? sql : ts;
      return { n, result: (await invokeEndpoint(endpoint, { n }, { transport: 'cli', user, headers })) as Record<string, unknown> };
    });
    const results = await Promise.all(calls);
    for (const { n, result } of results) {
      if (n % 2 === 0) expect(result).toEqual({ n, who: `user${n}`, header: String(n) });
      else expect(result).toEqual({ n, who: `user${n}`, sqlWho: `user${n}`, sqlN: n });
    }
  });
});
