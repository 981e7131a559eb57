// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are YAML holding ${VAR} references on purpose
/**
 * Profile selection (checklist item 17: `--profile` > `MXCP_PROFILE` > site `profile`) and references in
 * site profiles (item 13: only the active profile is resolved).
 *
 * Each profile's `duckdb.path` names a different unset variable, so the one error a command reports tells
 * which profile it selected.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { expectCommandError } from './support/coded.js';
import { type TempProject, tempProject } from './support/project.js';

let project: TempProject | undefined;
afterEach(() => project?.remove());

const kSite = [
  'mxcp: 1',
  'project: demo',
  'profile: from_site',
  'profiles:',
  '  from_site:',
  '    duckdb: {path: "${MXCP_SPEC_SITE_DB}"}',
  '  from_env:',
  '    duckdb: {path: "${MXCP_SPEC_ENV_DB}"}',
  '  from_flag:',
  '    duckdb: {path: "${MXCP_SPEC_FLAG_DB}"}',
  '',
].join('\n');

describe('profiles', () => {
  it('item 17: --profile beats MXCP_PROFILE, which beats profile: in mxcp-site.yml', async () => {
    project = tempProject({}, { site: kSite });
    const opts = { cwd: project.root, home: project.home };
    const [site, env, flag] = await Promise.all([
      runCli(['list', '--json-output'], opts),
      runCli(['list', '--json-output'], { ...opts, env: { MXCP_PROFILE: 'from_env' } }),
      runCli(['list', '--json-output', '--profile', 'from_flag'], { ...opts, env: { MXCP_PROFILE: 'from_env' } }),
    ]);
    const selected = (line: number, profile: string, variable: string) => ({
      code: 'MXCP_E_REF_UNRESOLVED',
      file: 'mxcp-site.yml',
      line,
      message: `Failed to resolve reference at 'profiles.${profile}.duckdb.path': Environment variable ${variable} is not set`,
    });
    expectCommandError(site, selected(6, 'from_site', 'MXCP_SPEC_SITE_DB'));
    expectCommandError(env, selected(8, 'from_env', 'MXCP_SPEC_ENV_DB'));
    expectCommandError(flag, selected(10, 'from_flag', 'MXCP_SPEC_FLAG_DB'));
  });

  it('item 13: an unset ${VAR} in an inactive site profile does not fail the command', async () => {
    project = tempProject({}, { site: kSite });
    const r = await runCli(['list', '--json-output', '--profile', 'from_flag'], {
      cwd: project.root,
      home: project.home,
      env: { MXCP_SPEC_FLAG_DB: 'data/flag.duckdb' },
    });
    expect(r.code, r.stdout).toBe(0);
    expect(r.json()).toEqual({ status: 'ok', result: { status: 'ok', endpoints: [] } });
  });

  it('a reference left unresolved in an inactive profile is not type-checked yet; selected, it is', async () => {
    project = tempProject(
      {},
      {
        site: 'project: demo\nprofile: dev\nprofiles:\n  prod:\n    duckdb:\n      readonly: ${MXCP_SPEC_RO}\n    audit:\n      enabled: true\n',
      },
    );
    const opts = { cwd: project.root, home: project.home };
    const [dev, prodOk, prodBad] = await Promise.all([
      runCli(['list', '--json-output'], opts),
      runCli(['list', '--json-output', '--profile', 'prod'], { ...opts, env: { MXCP_SPEC_RO: 'yes' } }),
      runCli(['list', '--json-output', '--profile', 'prod'], { ...opts, env: { MXCP_SPEC_RO: 'sometimes' } }),
    ]);
    expect(dev.code, dev.stdout).toBe(0);
    expect(prodOk.code, prodOk.stdout).toBe(0);
    expectCommandError(prodBad, {
      code: 'MXCP_E_SITE_INVALID',
      file: 'mxcp-site.yml',
      line: 6,
      message: 'Site config validation error: profiles.prod.duckdb.readonly: must be boolean, got string "sometimes"',
    });
  });

  it('a profile that exists in neither file is materialised with defaults (MXCP does not require it)', async () => {
    project = tempProject({ 'tools/t.yml': 'mxcp: 1\ntool:\n  name: t\n  source:\n    code: SELECT 1\n' });
    const r = await runCli(['validate', '--json-output', '--profile', 'nowhere'], { cwd: project.root, home: project.home });
    expect(r.code, r.stdout).toBe(0);
    expect(r.json<{ result: { status: string } }>().result.status).toBe('ok');
  });
});
