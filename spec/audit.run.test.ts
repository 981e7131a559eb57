/**
 * Records produced by real `mxcp run` calls (caller `cli`): the format (JSON Schema, key order), success
 * and error, redaction of sensitive fields and of resolved secret values, include_output, audit disabled.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import * as addFormatsModule from 'ajv-formats';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../sdk/audit.js';
import { wholeRecords } from './audit.helpers.js';
import { runCli } from './support/cli.js';
import { type TempProject, tempProject } from './support/project.js';

const schema = JSON.parse(readFileSync(new URL('../config/schemas/audit-record.schema.json', import.meta.url), 'utf8')) as {
  required: string[];
};
const ajv = new Ajv2020({ strict: true, allErrors: true });
addFormatsModule.default.default(ajv);
const validate = ajv.compile(schema);

let project: TempProject | undefined;
afterEach(() => {
  project?.remove();
  project = undefined;
});

const kSecret = 's3cr3t-Passw0rd';

function site(audit = 'enabled: true') {
  return `mxcp: 1\nproject: demo\nprofile: dev\nprofiles:\n  dev:\n    audit:\n      ${audit.split('\n').join('\n      ')}\n`;
}

const kTools = {
  'tools/echo.yml': `mxcp: 1
tool:
  name: echo
  description: echoes its input
  parameters:
    - { name: q, type: string, description: text }
    - { name: pin, type: string, description: a PIN, sensitive: true, default: "0000" }
    - name: card
      type: object
      description: nested sensitive field
      default: { holder: "nobody", number: "0" }
      properties:
        holder: { type: string }
        number: { type: string, sensitive: true }
  return:
    type: object
    properties:
      q: { type: string }
      pin: { type: string, sensitive: true }
      rows:
        type: array
        items:
          type: object
          properties:
            token: { type: string, sensitive: true }
            n: { type: integer }
  source:
    code: "SELECT $q AS q, $pin AS pin, [{'token': 'tok-' || $q, 'n': 1}] AS rows"
`,
  'tools/fail.yml': `mxcp: 1
tool:
  name: fail
  description: fails at run time with the input in the message
  parameters:
    - { name: q, type: string, description: text }
  source:
    code: "SELECT error('cannot use ' || $q)"
`,
};

function setUp(audit?: string) {
  project = tempProject({ ...kTools, 'mxcp-site.yml': site(audit) });
  // A secret whose value comes from the environment, and a non-secret reference (a port).
  const config = project.write(
    'config.yml',
    `mxcp: 1\ntransport:\n  http:\n    port: \${APP_PORT}\nprojects:\n  demo:\n    profiles:\n      dev:\n        secrets:\n          - name: db\n            type: env\n            parameters:\n              password: \${DB_PASSWORD}\n`,
  );
  const env = { MXCP_CONFIG_PATH: config, DB_PASSWORD: kSecret, APP_PORT: '8123' };
  const run = (...args: string[]) => runCli(['run', ...args, '--json-output'], { cwd: project!.root, home: project!.home, env });
  const records = () => wholeRecords(project!.path('audit/logs-dev.jsonl'));
  return { run, records, env };
}

describe('audit records from mxcp run', () => {
  it('a successful call: every field in schema order, valid against audit-record.schema.json', async () => {
    const { run, records } = setUp();
    const before = Date.now();
    const r = await run('tool', 'echo', '-p', 'q=hello', '-u', '{"user_id":"u42","username":"ada"}');
    expect(r.code, r.stderr).toBe(0);
    const [rec] = records();
    expect(Object.keys(rec!)).toEqual(schema.required);
    expect(validate(rec), JSON.stringify(validate.errors)).toBe(true);
    expect(rec).toMatchObject({
      schema_version: 1,
      caller: 'cli',
      type: 'tool',
      name: 'echo',
      status: 'success',
      error: null,
      policy_decision: 'n/a',
      reason: null,
      user_id: 'u42',
      username: 'ada',
      session_id: null,
      generation: 1,
    });
    expect(Date.parse(rec!.timestamp)).toBeGreaterThanOrEqual(before - 1000);
    expect(rec!.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(rec!.duration_ms).toBeGreaterThanOrEqual(0);
  });

  it('an error: status error, the message, no output; the command still fails as before', async () => {
    const { run, records } = setUp();
    const r = await run('tool', 'fail', '-p', 'q=thing');
    expect(r.code).toBe(1);
    const [rec] = records();
    expect(validate(rec)).toBe(true);
    expect(rec).toMatchObject({ name: 'fail', status: 'error', output: null, input: { q: 'thing' } });
    expect(rec!.error).toContain('cannot use thing');
  });

  it('parameters and output fields marked sensitive, nested ones too, are "[REDACTED]"', async () => {
    const { run, records } = setUp();
    // The CLI passes an object as JSON text: the record holds the converted value, so the nested field is found.
    const r = await run('tool', 'echo', '-p', 'q=hi', '-p', 'pin=1234', '-p', 'card={"holder":"Ada","number":"4111"}');
    expect(r.code, r.stderr).toBe(0);
    expect(r.json<{ result: { pin: string } }>().result.pin).toBe('1234'); // the caller still gets the value
    const [rec] = records();
    expect(rec!.input).toEqual({ q: 'hi', pin: '[REDACTED]', card: { holder: 'Ada', number: '[REDACTED]' } });
    expect(rec!.output).toEqual({ q: 'hi', pin: '[REDACTED]', rows: [{ token: '[REDACTED]', n: 1 }] });
    expect(JSON.stringify(rec)).not.toContain('1234');
    expect(JSON.stringify(rec)).not.toContain('4111');
  });

  it('every resolved secret value is "[REDACTED]" in input, output and error; other resolved values are not', async () => {
    const { run, records } = setUp();
    expect((await run('tool', 'echo', '-p', `q=${kSecret}`)).code).toBe(0);
    expect((await run('tool', 'fail', '-p', `q=${kSecret}`)).code).toBe(1);
    expect((await run('tool', 'echo', '-p', 'q=8123')).code).toBe(0);
    const [ok, failed, port] = records();
    expect(ok!.input).toMatchObject({ q: '[REDACTED]' });
    expect(ok!.output).toMatchObject({ q: '[REDACTED]', rows: [{ token: '[REDACTED]' }] });
    expect(failed!.error).toContain('cannot use [REDACTED]');
    expect(readFileSync(project!.path('audit/logs-dev.jsonl'), 'utf8')).not.toContain(kSecret);
    expect(port!.input).toMatchObject({ q: '8123' });
  });

  it('include_output: false writes output as null', async () => {
    const { run, records } = setUp('enabled: true\ninclude_output: false');
    expect((await run('tool', 'echo', '-p', 'q=x')).code).toBe(0);
    expect(records()[0]).toMatchObject({ status: 'success', output: null, input: { q: 'x' } });
  });

  it('audit disabled: no file, and mxcp log exits 1 saying how to enable it', async () => {
    const { run, env } = setUp('enabled: false');
    expect((await run('tool', 'echo', '-p', 'q=x')).code).toBe(0);
    const log = await runCli(['log'], { cwd: project!.root, home: project!.home, env });
    expect(log.code).toBe(1);
    expect(log.stderr).toContain("Audit logging is not enabled for profile 'dev'");
    expect(log.stderr).toContain('profiles.dev.audit.enabled: true');
    expect(log.stderr).toContain('MXCP_E_AUDIT_DISABLED');
    const json = await runCli(['log', '--json'], { cwd: project!.root, home: project!.home, env });
    expect(json.json()).toMatchObject({ status: 'error', code: 'MXCP_E_AUDIT_DISABLED' });
    // MXCP_AUDIT_ENABLED turns it on without editing the file.
    const on = await runCli(['run', 'tool', 'echo', '-p', 'q=y'], {
      cwd: project!.root,
      home: project!.home,
      env: { ...env, MXCP_AUDIT_ENABLED: '1' },
    });
    expect(on.code).toBe(0);
    expect(wholeRecords(project!.path('audit/logs-dev.jsonl')) as AuditRecord[]).toHaveLength(1);
  });
});
