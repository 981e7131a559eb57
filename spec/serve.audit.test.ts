/**
 * Audit records from `mxcp serve` (issue 7 with the serving layer): every tools/call, resources/read and
 * prompts/get over HTTP leaves one record with caller `http`; SIGTERM while calls are in flight loses none:
 * each call accepted before the signal completes and has its record, flushed before the process exits.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { TempProject } from './support/project.js';
import { type Daemon, post, serveProject, startDaemon } from './support/serve-daemon.js';

const kSite =
  'mxcp: 1\nproject: serve-demo\nprofile: dev\nprofiles:\n  dev:\n    audit:\n      enabled: true\n      path: audit/serve.jsonl\n';

let project: TempProject | undefined;
let daemon: Daemon | undefined;

afterEach(async () => {
  await daemon?.stop('SIGKILL');
  daemon = undefined;
  project?.remove();
  project = undefined;
});

const call = (id: number, name: string, args: Record<string, unknown>) =>
  JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } });

function records(p: TempProject): Record<string, unknown>[] {
  return readFileSync(p.path('audit/serve.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('serve: audit', () => {
  it('records each tool call with caller http, status and duration; SIGTERM loses no record of an accepted call', async () => {
    project = serveProject({ 'mxcp-site.yml': kSite });
    daemon = await startDaemon(project, ['--stateless']);
    const headers = { 'mcp-protocol-version': '2025-11-25' };
    const quick = await post(`${daemon.base}/mcp`, call(1, 'echo', { text: 'hi' }), headers);
    expect(quick.status).toBe(200);
    const failing = await post(`${daemon.base}/mcp`, call(2, 'broken_sql', {}), headers);
    expect(failing.status).toBe(200);
    // Ten slow calls in flight when SIGTERM arrives.
    const inflight = Array.from({ length: 10 }, (_, i) => post(`${daemon!.base}/mcp`, call(10 + i, 'slow', { ms: 800 }), headers));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const exited = daemon.stop('SIGTERM');
    const answers = await Promise.all(inflight);
    for (const a of answers) expect(a.json()).toMatchObject({ result: { structuredContent: { result: 'slept 800 ms' } } });
    expect(await exited).toBe(0);

    const all = records(project);
    expect(all).toHaveLength(12);
    const echo = all.find((r) => r.name === 'echo');
    expect(echo).toMatchObject({ caller: 'http', type: 'tool', status: 'success', policy_decision: 'n/a', input: { text: 'hi' } });
    expect(typeof echo?.duration_ms).toBe('number');
    expect(all.find((r) => r.name === 'broken_sql')).toMatchObject({ status: 'error' });
    expect(all.filter((r) => r.name === 'slow' && r.status === 'success')).toHaveLength(10);
  });
});
