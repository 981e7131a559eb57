/**
 * The CI sample of the HTTP/JSON-RPC fuzzer (scripts/fuzz/http.mjs runs 100,000): fixed-seed hostile
 * requests (malformed and truncated JSON, deep nesting, huge strings and arrays, wrong types in every field,
 * unknown methods, invalid UTF-8, duplicate ids, oversized and slow bodies, header abuse, raw broken HTTP)
 * against a real `mxcp serve`, stateful and stateless. Every answer must be well-formed (no 5xx, JSON that
 * parses, JSON-RPC responses that keep the rules), none may hang, and afterwards the daemon still serves a
 * real MCP client with bounded memory.
 */
import { cpSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ESM script shared with scripts/fuzz/http.mjs, no type declarations.
import { fuzzHttp } from '../scripts/fuzz/http-driver.mjs';
import { type TempProject, tempProject } from './support/project.js';
import { type Daemon, startDaemon } from './support/serve-daemon.js';

const kFixture = fileURLToPath(new URL('./fixtures/fuzz/project/', import.meta.url));

interface FuzzFailure {
  readonly index: number;
  readonly kind: string;
  readonly verdict: string;
}
interface FuzzResult {
  readonly sent: number;
  readonly byStatus: Record<string, number>;
  readonly failures: FuzzFailure[];
}

let project: TempProject | undefined;
let daemon: Daemon | undefined;
afterEach(async () => {
  await daemon?.stop('SIGTERM', 15_000);
  project?.remove();
  daemon = undefined;
  project = undefined;
});

const rssMiB = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

async function fuzzOnce(args: string[], seed: number, count: number) {
  project = tempProject({}, { site: null });
  cpSync(kFixture, project.root, { recursive: true });
  daemon = await startDaemon(project, args);
  const result = (await fuzzHttp({ base: daemon.base, seed, count, concurrency: 6 })) as FuzzResult;
  // The failures, with the index that replays each one, are the useful part of a red run.
  expect(result.failures.slice(0, 10)).toEqual([]);
  expect(result.sent).toBe(count);
  // The sample must reach past the transport: many calls answered, many refused for different reasons.
  expect(result.byStatus['200']).toBeGreaterThan(count / 5);
  expect(Object.keys(result.byStatus).length).toBeGreaterThan(6);

  // Still alive, still serving real work, with memory in bounds after hundreds of multi-MiB bodies.
  expect(daemon.child.exitCode).toBeNull();
  const client = new Client({ name: 'after-fuzz', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${daemon.base}/mcp`)));
  const answer = await client.callTool({ name: 'add', arguments: { a: 2, b: 40 } });
  expect(answer.isError).toBeFalsy();
  expect(answer.structuredContent).toEqual({ result: 42 });
  await client.close();
  expect(rssMiB(daemon.child.pid!)).toBeLessThan(768);
  expect(daemon.stderr()).not.toMatch(/uncaught|unhandled rejection|FATAL/i);
}

describe('HTTP / JSON-RPC fuzzing (fixed seed)', () => {
  it('2,000 hostile requests against a stateful daemon: all answered well-formed, none hang', { timeout: 240_000 }, async () => {
    await fuzzOnce([], 42, 2_000);
  });

  it('1,000 hostile requests against a stateless daemon', { timeout: 180_000 }, async () => {
    await fuzzOnce(['--stateless'], 4242, 1_000);
  });
});
