/** The built-in SQL tools (reference/mxcp-core.md section 15, checklist 70-73) over MCP. */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TempProject } from './support/project.js';
import { type Daemon, serveProject, startDaemon } from './support/serve-daemon.js';

const kSite = 'mxcp: 1\nproject: serve-demo\nprofile: dev\nsql_tools:\n  enabled: true\n  list_tables:\n    description: Tables here\n';

async function connect(daemon: Daemon): Promise<Client> {
  const client = new Client({ name: 'spec', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${daemon.base}/mcp`)));
  return client;
}

const rows = (result: unknown) => ((result as { structuredContent?: unknown }).structuredContent as { result: unknown[] }).result;

describe('sql_tools.enabled: true', () => {
  let project: TempProject;
  let daemon: Daemon;
  let client: Client;
  beforeAll(async () => {
    project = serveProject({ 'mxcp-site.yml': kSite });
    daemon = await startDaemon(project);
    client = await connect(daemon);
  });
  afterAll(async () => {
    await client?.close();
    await daemon?.stop();
    project?.remove();
  });

  it('lists the three tools with their parameters, annotations and overridable descriptions (checklist 70)', async () => {
    const { tools } = await client.listTools();
    const byName = new Map(tools.map((t) => [t.name, t]));
    expect(byName.get('execute_sql_query')?.inputSchema).toMatchObject({ properties: { sql: { type: 'string' } }, required: ['sql'] });
    expect(byName.get('list_tables')?.inputSchema).toMatchObject({ properties: {}, required: [] });
    expect(byName.get('list_tables')?.description).toBe('Tables here');
    expect(byName.get('get_table_schema')?.inputSchema).toMatchObject({ required: ['table_name'] });
    expect(byName.get('execute_sql_query')?.annotations).toEqual({
      title: 'SQL Query Executor',
      readOnlyHint: false,
      destructiveHint: true,
      idempotentHint: false,
      openWorldHint: false,
    });
  });

  it('runs SQL, lists tables sorted by name and describes a table in column order (checklist 71, 72)', async () => {
    await client.callTool({ name: 'execute_sql_query', arguments: { sql: 'CREATE TABLE zebra (id INTEGER NOT NULL, label VARCHAR)' } });
    await client.callTool({ name: 'execute_sql_query', arguments: { sql: 'CREATE TABLE apple (x DOUBLE)' } });
    const select = await client.callTool({ name: 'execute_sql_query', arguments: { sql: 'SELECT 42 AS answer' } });
    expect(rows(select)).toEqual([{ answer: 42 }]);
    expect(select.content).toEqual([{ type: 'text', text: '{"answer":42}' }]);
    expect(rows(await client.callTool({ name: 'list_tables', arguments: {} }))).toEqual([
      { name: 'apple', type: 'BASE TABLE' },
      { name: 'zebra', type: 'BASE TABLE' },
    ]);
    expect(rows(await client.callTool({ name: 'get_table_schema', arguments: { table_name: 'zebra' } }))).toEqual([
      { name: 'id', type: 'INTEGER', nullable: 'NO' },
      { name: 'label', type: 'VARCHAR', nullable: 'YES' },
    ]);
  });

  it('reports bad SQL and bad arguments as tool errors', async () => {
    const bad = await client.callTool({ name: 'execute_sql_query', arguments: { sql: 'SELEC 1' } });
    expect(bad.isError).toBe(true);
    expect((bad.content as { text: string }[])[0]?.text).toMatch(/^Error executing tool execute_sql_query: Failed to execute SQL/);
    const missing = await client.callTool({ name: 'get_table_schema', arguments: {} });
    expect((missing.content as { text: string }[])[0]?.text).toBe(
      'Error executing tool get_table_schema: Required parameter missing: table_name',
    );
  });
});

describe('--sql-tools overrides the site config', () => {
  it('hides them with --sql-tools false (checklist 73) and shows them with --sql-tools true', async () => {
    const enabled = serveProject({ 'mxcp-site.yml': kSite });
    const off = await startDaemon(enabled, ['--sql-tools', 'false']);
    const c1 = await connect(off);
    expect((await c1.listTools()).tools.map((t) => t.name)).not.toContain('execute_sql_query');
    await c1.close();
    await off.stop();
    enabled.remove();

    const plain = serveProject();
    const on = await startDaemon(plain, ['--sql-tools', 'true']);
    const c2 = await connect(on);
    expect((await c2.listTools()).tools.map((t) => t.name)).toEqual(
      expect.arrayContaining(['execute_sql_query', 'list_tables', 'get_table_schema']),
    );
    await c2.close();
    await on.stop();
    plain.remove();
  });
});
