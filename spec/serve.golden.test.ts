/**
 * Golden JSON-RPC exchanges per protocol revision (STYLE item 24): `initialize` (or `server/discover`)
 * and `tools/list` of the serve fixture project over stdio, compared with
 * spec/fixtures/serve/golden/<revision>/<method>.json. The server version is normalized. After an
 * intended change, regenerate with `MXCP_UPDATE_GOLDEN=1 npx vitest run spec/serve.golden` and review
 * the diff.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TempProject } from './support/project.js';
import { serveProject, spawnServe, waitFor } from './support/serve-daemon.js';

const kGolden = fileURLToPath(new URL('./fixtures/serve/golden/', import.meta.url));
const kUpdate = process.env.MXCP_UPDATE_GOLDEN === '1';
const kModernMeta = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} };

let project: TempProject;
let child: ReturnType<typeof spawnServe>;
let stdout = '';
let nextId = 1;

beforeAll(() => {
  project = serveProject();
  child = spawnServe(project, ['--transport', 'stdio']);
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
  });
});

afterAll(async () => {
  child.stdin.end();
  await new Promise((resolve) => child.once('exit', resolve));
  project?.remove();
});

/** Sends one request and returns its response line, parsed. */
async function exchange(method: string, params: Record<string, unknown>): Promise<{ request: object; response: unknown }> {
  const id = nextId++;
  const request = { jsonrpc: '2.0', id, method, params };
  child.stdin.write(`${JSON.stringify(request)}\n`);
  const marker = `"id":${id},`;
  await waitFor(() => stdout.split('\n').some((l) => l.includes(marker)));
  const line = stdout.split('\n').find((l) => l.includes(marker)) as string;
  const response = JSON.parse(line.replace(/"version":"[^"]+"/g, '"version":"<version>"'));
  return { request: { ...request, id: 1 }, response: { ...response, id: 1 } };
}

function compare(revision: string, name: string, actual: unknown): void {
  const file = join(kGolden, revision, `${name}.json`);
  if (kUpdate) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(actual, null, 2)}\n`);
  }
  if (!existsSync(file)) throw new Error(`no golden file ${file}; create it with MXCP_UPDATE_GOLDEN=1`);
  expect(actual).toEqual(JSON.parse(readFileSync(file, 'utf8')));
}

describe.each(['2025-03-26', '2025-06-18', '2025-11-25'])('legacy revision %s', (revision) => {
  it('initialize and tools/list match the golden exchange', async () => {
    compare(
      revision,
      'initialize',
      await exchange('initialize', { protocolVersion: revision, capabilities: {}, clientInfo: { name: 'golden', version: '1' } }),
    );
    compare(revision, 'tools-list', await exchange('tools/list', {}));
  });
});

describe('modern revision 2026-07-28', () => {
  it('server/discover and tools/list match the golden exchange', async () => {
    compare('2026-07-28', 'server-discover', await exchange('server/discover', { _meta: kModernMeta }));
    compare('2026-07-28', 'tools-list', await exchange('tools/list', { _meta: kModernMeta }));
  });
});
