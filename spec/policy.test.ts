/**
 * Policies (reference/mxcp-ops.md section 3, mxcp-core.md section 13, checklist items 54-56): CEL input
 * and output rules through the real CLI and a real `mxcp serve`, their audit records, `validate` errors, and
 * the fail-closed rule (a condition that errors at run time denies; the Python MXCP lets the call through).
 */
import { readFileSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { expectNoStackTrace, parseLocated } from './support/coded.js';
import { type TempProject, tempProject } from './support/project.js';
import { type Daemon, startDaemon } from './support/serve-daemon.js';

const kSite =
  'mxcp: 1\nproject: policies\nprofile: dev\nprofiles:\n  dev:\n    audit:\n      enabled: true\n      path: audit/logs.jsonl\n';

const kEmployee = `mxcp: 1
tool:
  name: employee
  description: One employee record.
  parameters:
    - name: id
      type: integer
      description: Employee id
  return:
    type: object
    properties:
      id: {type: integer}
      name: {type: string}
      ssn: {type: string, sensitive: true}
      salary: {type: number}
      bank:
        type: object
        properties:
          iban: {type: string, sensitive: true}
          bank_name: {type: string}
  policies:
    input:
      - condition: "user.role != 'admin' && id > 100"
        action: deny
        reason: Only admins may look up executives
    output:
      - condition: "user.role == 'guest'"
        action: deny
        reason: Guests see nothing
      - condition: "user.role != 'admin'"
        action: mask_fields
        fields: [ssn]
      - condition: "user.role == 'intern'"
        action: filter_fields
        fields: [salary]
      - condition: "!('pii' in user.permissions)"
        action: filter_sensitive_fields
  source:
    code: "SELECT $id AS id, 'Ann' AS name, '123-45-6789' AS ssn, 5000.5 AS salary, {'iban': 'DE00', 'bank_name': 'B'} AS bank"
  tests:
    - name: admin_sees_all
      user_context: {role: admin, permissions: [pii]}
      arguments: [{key: id, value: 1}]
      result: {id: 1, name: Ann, ssn: 123-45-6789, salary: 5000.5, bank: {iban: DE00, bank_name: B}}
    - name: role_is_visible
      user_context: {role: admin}
      arguments: [{key: id, value: 1}]
      result_contains: {ssn: 123-45-6789}
`;

const kFragile = `mxcp: 1
tool:
  name: fragile
  description: A policy whose condition fails at run time.
  return: {type: object}
  policies:
    output:
      - condition: "response.missing > 1"
        action: deny
        reason: never reached
  source:
    code: "SELECT 1 AS present"
`;

let project: TempProject;
beforeAll(() => {
  project = tempProject({ 'tools/employee.yml': kEmployee, 'tools/fragile.yml': kFragile }, { site: kSite });
});
afterAll(() => project.remove());

const run = (args: string[]) => runCli(['run', 'tool', ...args, '--json-output'], { cwd: project.root, home: project.home });
const asUser = (u: Record<string, unknown>) => ['--user-context', JSON.stringify(u)];
const auditRecords = () =>
  readFileSync(project.path('audit/logs.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('policies through mxcp run', () => {
  it('input deny: a non-admin asking for id > 100 gets the reason, an admin gets the row', async () => {
    const denied = await run(['employee', '-p', 'id=101', ...asUser({ role: 'user' })]);
    expect(denied.code).toBe(1);
    expectNoStackTrace(denied);
    expect(denied.json().error).toContain('Policy enforcement failed: Only admins may look up executives');
    expect(denied.json().code).toBe('MXCP_E_POLICY_DENIED');
    const admin = await run(['employee', '-p', 'id=101', ...asUser({ role: 'admin', permissions: ['pii'] })]);
    expect(admin.json().result).toMatchObject({ id: 101, ssn: '123-45-6789' });
  });

  it('checklist 56: mask_fields replaces ssn with ****; filter_fields removes salary', async () => {
    const user = await run(['employee', '-p', 'id=1', ...asUser({ role: 'user', permissions: ['pii'] })]);
    expect(user.json().result).toEqual({ id: 1, name: 'Ann', ssn: '****', salary: 5000.5, bank: { iban: 'DE00', bank_name: 'B' } });
    const intern = await run(['employee', '-p', 'id=1', ...asUser({ role: 'intern', permissions: ['pii'] })]);
    expect(intern.json().result).toEqual({ id: 1, name: 'Ann', ssn: '****', bank: { iban: 'DE00', bank_name: 'B' } });
  });

  it('filter_sensitive_fields really removes sensitive properties, nested ones too', async () => {
    const r = await run(['employee', '-p', 'id=1', ...asUser({ role: 'admin' })]);
    expect(r.json().result).toEqual({ id: 1, name: 'Ann', salary: 5000.5, bank: { bank_name: 'B' } });
  });

  it('output deny stops the result', async () => {
    const r = await run(['employee', '-p', 'id=1', ...asUser({ role: 'guest' })]);
    expect(r.code).toBe(1);
    expect(r.json().error).toContain('Output policy enforcement failed: Guests see nothing');
  });

  it('without a user context the CLI does not apply policies (MXCP); with one it does', async () => {
    const r = await run(['employee', '-p', 'id=101']);
    expect(r.json().result).toMatchObject({ id: 101, ssn: '123-45-6789' });
  });

  it('fails closed: a condition that errors at run time denies, and the audit record says which rule and why', async () => {
    const r = await run(['fragile', ...asUser({ role: 'admin' })]);
    expect(r.code).toBe(1);
    expect(r.json().code).toBe('MXCP_E_POLICY_EVAL_FAILED');
    expect(r.json().error).toMatch(/policy output\[0\] could not be evaluated .*denied, as policies fail closed/);
    const record = auditRecords().findLast((rec) => rec.name === 'fragile');
    expect(record).toMatchObject({ status: 'error', policy_decision: 'deny' });
    expect(String(record?.reason)).toContain('output[0]');
  });

  it('audit records carry allow, warn (output modified) and deny with the reason; mxcp log --policy filters them', async () => {
    await run(['employee', '-p', 'id=2', ...asUser({ role: 'admin', permissions: ['pii'] })]);
    await run(['employee', '-p', 'id=3', ...asUser({ role: 'user' })]);
    await run(['employee', '-p', 'id=500', ...asUser({ role: 'user' })]);
    const byId = (id: number) => auditRecords().findLast((rec) => (rec.input as { id?: number })?.id === id);
    expect(byId(2)).toMatchObject({ policy_decision: 'allow', status: 'success' });
    expect(byId(3)).toMatchObject({ policy_decision: 'warn', reason: 'Output modified by filter_sensitive_fields' });
    expect(byId(500)).toMatchObject({ policy_decision: 'deny', reason: 'Only admins may look up executives', status: 'error' });
    const log = await runCli(['log', '--policy', 'deny', '--json'], { cwd: project.root, home: project.home });
    const lines = log.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines.every((l) => l.policy_decision === 'deny')).toBe(true);
  });
});

describe('policies through mxcp test', () => {
  it("checklist 54: a test's user_context is the policies' user; --user-context overrides it", async () => {
    const own = await runCli(['test', 'tool', 'employee', '--json-output'], { cwd: project.root, home: project.home });
    expect(own.json<{ status: string }>().status).toBe('ok');
    const overridden = await runCli(['test', 'tool', 'employee', '--json-output', ...asUser({ role: 'user', permissions: ['pii'] })], {
      cwd: project.root,
      home: project.home,
    });
    expect(overridden.code).toBe(1);
    expect(overridden.stdout).toContain('****');
  });
});

describe('policies through mxcp serve', () => {
  let daemon: Daemon | undefined;
  afterEach(async () => {
    await daemon?.stop('SIGTERM');
    daemon = undefined;
  });

  it('checklist 55: an anonymous MCP client is denied with the reason, as a tool error; the audit record says deny', async () => {
    const p = tempProject(
      {
        'tools/admin_only.yml': `mxcp: 1
tool:
  name: admin_only
  description: Admins only.
  return: {type: string}
  policies:
    input:
      - condition: "user.role != 'admin'"
        action: deny
        reason: X
  source:
    code: "SELECT 'secret' AS v"
`,
      },
      { site: kSite },
    );
    try {
      daemon = await startDaemon(p);
      const client = new Client({ name: 'anon', version: '1' });
      await client.connect(new StreamableHTTPClientTransport(new URL(`${daemon.base}/mcp`)));
      const r = await client.callTool({ name: 'admin_only', arguments: {} });
      expect(r.isError).toBe(true);
      expect(JSON.stringify(r.content)).toContain('Policy enforcement failed: X');
      await client.close();
      expect(await daemon.stop('SIGTERM')).toBe(0);
      const record = readFileSync(p.path('audit/logs.jsonl'), 'utf8')
        .split('\n')
        .filter((l) => l.includes('"admin_only"'))
        .map((l) => JSON.parse(l) as Record<string, unknown>)[0];
      expect(record).toMatchObject({ caller: 'http', policy_decision: 'deny', reason: 'X', status: 'error' });
    } finally {
      p.remove();
    }
  });
});

describe('validate reports broken policies', () => {
  const cases: [string, string, string, RegExp][] = [
    ['syntax', 'user.role ==', 'MXCP_E_POLICY_SYNTAX', /Policy input\[0\] condition 'user.role ==' is not valid CEL/],
    ['unknown variable', "role == 'admin'", 'MXCP_E_POLICY_UNKNOWN_VARIABLE', /uses unknown variable 'role' \(available: id, user\)/],
    ['comprehension locals are known', "user.permissions.exists(p, p == 'x') && id > 0", '', /./],
  ];
  for (const [name, condition, code, message] of cases) {
    it(name, async () => {
      const p = tempProject({
        'tools/t.yml': `mxcp: 1\ntool:\n  name: t\n  parameters:\n    - {name: id, type: integer}\n  policies:\n    input:\n      - condition: "${condition}"\n        action: deny\n  source:\n    code: "SELECT $id"\n`,
      });
      try {
        const r = await runCli(['validate', '--json-output'], { cwd: p.root, home: p.home });
        expectNoStackTrace(r);
        if (!code) {
          expect(r.code, r.stdout).toBe(0);
          return;
        }
        expect(r.code).toBe(1);
        const v = r.json<{ result: { validated: { status: string; message: string }[] } }>().result.validated[0];
        const located = parseLocated(v?.message ?? '');
        expect(located).toMatchObject({ file: 'tools/t.yml', line: 8, code });
        expect(located.message).toMatch(message);
      } finally {
        p.remove();
      }
    });
  }

  it('an output rule may not use parameters; mask_fields needs fields', async () => {
    const p = tempProject({
      'tools/a.yml': `mxcp: 1\ntool:\n  name: a\n  parameters:\n    - {name: id, type: integer}\n  policies:\n    output:\n      - condition: "id > 1"\n        action: deny\n  source:\n    code: "SELECT 1"\n`,
      'tools/b.yml': `mxcp: 1\ntool:\n  name: b\n  policies:\n    output:\n      - condition: "true"\n        action: mask_fields\n  source:\n    code: "SELECT 1"\n`,
    });
    try {
      const r = await runCli(['validate', '--json-output'], { cwd: p.root, home: p.home });
      const messages = r.json<{ result: { validated: { message: string }[] } }>().result.validated.map((v) => v.message);
      expect(messages.join('\n')).toMatch(/uses unknown variable 'id' \(available: response, user\).*MXCP_E_POLICY_UNKNOWN_VARIABLE/);
      expect(messages.join('\n')).toMatch(
        /output\[0\] with action 'mask_fields' needs a non-empty 'fields' list \(MXCP_E_POLICY_FIELDS_REQUIRED\)/,
      );
    } finally {
      p.remove();
    }
  });
});
