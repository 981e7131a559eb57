/**
 * The MCP Inspector (`@modelcontextprotocol/inspector --cli`, 2.12.0, on Node 22): a client nobody here wrote
 * lists and calls what `mxcp serve` offers over Streamable HTTP, and what it prints is what the YAML says.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectorCli, node22 } from './support/node22.js';
import type { TempProject } from './support/project.js';
import { type Daemon, serveProject, startDaemon } from './support/serve-daemon.js';

const run = promisify(execFile);
let project: TempProject;
let daemon: Daemon;

beforeAll(async () => {
  inspectorCli(); // installs it on first use
  project = serveProject();
  daemon = await startDaemon(project);
}, 600_000);

afterAll(async () => {
  await daemon?.stop('SIGKILL');
  project?.remove();
});

async function inspector(...args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await run(node22(), [inspectorCli(), '--cli', `http://localhost:${daemon.port}/mcp`, ...args], {
    env: { ...process.env, HOME: project.home },
    timeout: 60_000,
  });
  return JSON.parse(stdout) as Record<string, unknown>;
}

describe('MCP Inspector CLI against mxcp serve (HTTP)', () => {
  it('tools/list: every tool with its schema, in name order', async () => {
    const { tools } = (await inspector('--method', 'tools/list')) as {
      tools: { name: string; inputSchema: { properties: Record<string, unknown> } }[];
    };
    const names = tools.map((t) => t.name);
    expect(names).toEqual([...names].sort());
    expect(names).toEqual(expect.arrayContaining(['echo', 'get_user', 'list_users', 'notify']));
    expect(Object.keys(tools.find((t) => t.name === 'get_user')?.inputSchema.properties ?? {})).toEqual(['id']);
  });

  it('tools/call: the SQL result as structured content', async () => {
    const result = await inspector('--method', 'tools/call', '--tool-name', 'get_user', '--tool-arg', 'id=2');
    expect(result).toMatchObject({ isError: false, structuredContent: { id: 2, name: 'bob', role: 'user' } });
  });

  it('resources and prompts', async () => {
    const resources = (await inspector('--method', 'resources/templates/list')) as { resourceTemplates: { uriTemplate: string }[] };
    expect(resources.resourceTemplates.map((r) => r.uriTemplate)).toContain('users://{id}');
    const read = (await inspector('--method', 'resources/read', '--uri', 'users://3')) as { contents: { text: string }[] };
    expect(JSON.parse(read.contents[0]?.text ?? '')).toMatchObject({ id: 3, name: 'cy' });
    const prompt = (await inspector('--method', 'prompts/get', '--prompt-name', 'greet', '--prompt-args', 'name=Ada')) as {
      messages: { role: string; content: { text: string } }[];
    };
    expect(prompt.messages.map((m) => [m.role, m.content.text])).toEqual([
      ['user', 'You are a warm greeter.'],
      ['assistant', 'Ready.'],
      ['user', 'Greet Ada.'],
    ]);
  });
});
