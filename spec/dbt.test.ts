/**
 * `mxcp dbt-config` and `mxcp dbt` through the real CLI. dbt itself cannot be installed here (it comes from
 * PyPI, which this machine cannot reach), so `mxcp dbt` runs a stand-in `dbt` executable, put first on PATH
 * by the test, that records its arguments, environment and working directory and exits with a chosen code.
 */
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli } from './support/cli.js';
import { writeUserConfig } from './support/coded.js';
import { type TempProject, tempProject } from './support/project.js';

let project: TempProject;
let bin: string;
const kSecretValue = 'shh-canary-4711';

beforeEach(() => {
  project = tempProject({}, { site: 'mxcp: 1\nproject: my-proj\nprofile: dev\n' });
  writeUserConfig(
    project,
    `mxcp: 1\nprojects:\n  my-proj:\n    profiles:\n      dev:\n        secrets:\n          - name: s3cred\n            type: s3\n            parameters:\n              key_id: AKIA123\n              secret: ${kSecretValue}\n              extra: {region: eu-west-1}\n`,
  );
  bin = project.path('../bin');
  const dbt = project.write(
    '../bin/dbt',
    `#!/bin/sh\n{ echo "cwd=$(pwd)"; for a in "$@"; do echo "arg=$a"; done; env | grep -E '^(MXCP_SECRET|DBT_PROFILES_DIR)' | sort; } > "${bin}/record.txt"\nexit "\${FAKE_DBT_EXIT:-0}"\n`,
  );
  chmodSync(dbt, 0o755);
});
afterEach(() => project.remove());

const cli = (args: string[], env: Record<string, string> = {}) => runCli(args, { cwd: project.root, home: project.home, env });

describe('mxcp dbt-config', () => {
  it('writes a dbt-duckdb profile on the DuckDB file with env_var() references, never the secret value', async () => {
    const r = await cli(['dbt-config']);
    expect(r.code, r.stderr).toBe(0);
    const profiles = parse(readFileSync(project.path('profiles.yml'), 'utf8'));
    expect(profiles).toEqual({
      my_proj: {
        target: 'dev',
        outputs: {
          dev: {
            type: 'duckdb',
            path: project.path('data/db-dev.duckdb'),
            threads: 4,
            secrets: [
              {
                type: 's3',
                key_id: "{{ env_var('MXCP_SECRET_S3CRED_KEY_ID') }}",
                secret: "{{ env_var('MXCP_SECRET_S3CRED_SECRET') }}",
                extra: { region: 'eu-west-1' },
              },
            ],
          },
        },
      },
    });
    expect(readFileSync(project.path('profiles.yml'), 'utf8')).not.toContain(kSecretValue);
    expect(parse(readFileSync(project.path('dbt_project.yml'), 'utf8'))).toMatchObject({
      name: 'my_proj',
      profile: 'my_proj',
      'model-paths': ['models'],
      'target-path': 'target',
    });
  });

  it('--dry-run writes nothing; an existing dbt_project.yml is kept unless --force; other profiles in profiles.yml are kept', async () => {
    const dry = await cli(['dbt-config', '--dry-run']);
    expect(dry.stdout).toContain('Would write');
    expect(existsSync(project.path('profiles.yml'))).toBe(false);
    writeFileSync(project.path('dbt_project.yml'), 'name: mine\n');
    writeFileSync(project.path('profiles.yml'), 'other:\n  target: x\n');
    const kept = await cli(['dbt-config']);
    expect(kept.stdout).toContain('Kept the existing');
    expect(readFileSync(project.path('dbt_project.yml'), 'utf8')).toBe('name: mine\n');
    expect(Object.keys(parse(readFileSync(project.path('profiles.yml'), 'utf8')))).toEqual(['other', 'my_proj']);
    await cli(['dbt-config', '--force']);
    expect(readFileSync(project.path('dbt_project.yml'), 'utf8')).toContain('name: my_proj');
  });

  it('--embed-secrets needs --force (usage error, exit 2); with it the values are written to a 0600 file', async () => {
    const refused = await cli(['dbt-config', '--embed-secrets']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('MXCP_E_DBT_EMBED_NEEDS_FORCE');
    expect((await cli(['dbt-config', '--embed-secrets', '--force'])).code).toBe(0);
    expect(readFileSync(project.path('profiles.yml'), 'utf8')).toContain(kSecretValue);
    expect(statSync(project.path('profiles.yml')).mode & 0o777).toBe(0o600);
  });
});

describe('mxcp dbt', () => {
  it('runs dbt in the project root with the arguments, MXCP_SECRET_* variables and DBT_PROFILES_DIR; returns its exit code', async () => {
    await cli(['dbt-config']);
    const r = await cli(['dbt', 'run', '--select', 'my_model', '--full-refresh'], {
      PATH: `${bin}:${process.env.PATH}`,
      FAKE_DBT_EXIT: '3',
    });
    expect(r.code).toBe(3);
    const record = readFileSync(`${bin}/record.txt`, 'utf8').trim().split('\n');
    expect(record).toEqual([
      `cwd=${project.root}`,
      'arg=run',
      'arg=--select',
      'arg=my_model',
      'arg=--full-refresh',
      `DBT_PROFILES_DIR=${project.root}`,
      'MXCP_SECRET_S3CRED_EXTRA_REGION=eu-west-1',
      'MXCP_SECRET_S3CRED_KEY_ID=AKIA123',
      `MXCP_SECRET_S3CRED_SECRET=${kSecretValue}`,
    ]);
    expect((await cli(['dbt', 'debug'], { PATH: `${bin}:${process.env.PATH}` })).code).toBe(0);
  });

  it('without dbt on PATH: a coded error saying how to install it', async () => {
    const r = await cli(['dbt', 'run'], { PATH: '/nonexistent' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/dbt executable not found on PATH .*\(MXCP_E_DBT_NOT_FOUND\)/);
  });

  it('dbt.enabled: false in the site config refuses both commands', async () => {
    project.write('mxcp-site.yml', 'mxcp: 1\nproject: my-proj\nprofile: dev\ndbt:\n  enabled: false\n');
    expect((await cli(['dbt', 'run'], { PATH: `${bin}:${process.env.PATH}` })).stderr).toContain('MXCP_E_DBT_DISABLED');
    expect((await cli(['dbt-config'])).stderr).toContain('MXCP_E_DBT_DISABLED');
  });
});
