// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are YAML holding ${VAR} references on purpose
/**
 * Bad configuration input: every broken `mxcp-site.yml` or user config stops the command with exit 1 and
 * one coded error naming the file and (where there is one) the line, without a stack trace.
 */
import { closeSync, ftruncateSync, openSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { type ExpectedError, expectCommandError, expectHumanError, writeUserConfig } from './support/coded.js';
import { type TempProject, tempProject } from './support/project.js';

const projects: TempProject[] = [];
afterAll(() => {
  for (const p of projects) p.remove();
});

const kSite = 'mxcp-site.yml';
const kBillionLaughs = [
  'project: demo',
  'profile: dev',
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
  'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
  'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
  'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
  'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
  'g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]',
  'h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]',
  '',
].join('\n');

interface SiteCase extends ExpectedError {
  readonly name: string;
  readonly site: string | Buffer;
  readonly env?: Record<string, string>;
}

const kSiteCases: SiteCase[] = [
  {
    name: 'an unclosed flow bracket',
    site: 'project: [demo\nprofile: dev\n',
    code: 'MXCP_E_YAML_SYNTAX',
    file: kSite,
    line: 2,
    message: /YAML syntax error: .*end with a \]/,
  },
  {
    name: 'a key indented under a scalar',
    site: 'project: demo\n  profile: dev\n',
    code: 'MXCP_E_YAML_SYNTAX',
    file: kSite,
    line: 1,
    message: /YAML syntax error/,
  },
  {
    name: 'tab indentation',
    site: 'project: demo\nprofile: dev\nprofiles:\n\tdev: {}\n',
    code: 'MXCP_E_YAML_SYNTAX',
    file: kSite,
    line: 4,
    message: /Tabs are not allowed as indentation/,
  },
  {
    name: 'a duplicate key',
    site: 'project: demo\nprofile: dev\nproject: other\n',
    code: 'MXCP_E_YAML_SYNTAX',
    file: kSite,
    line: 3,
    message: /duplicate key 'project'/,
  },
  {
    name: 'a number where a string belongs',
    site: 'project: 5\nprofile: dev\n',
    code: 'MXCP_E_SITE_INVALID',
    file: kSite,
    line: 1,
    message: /^Site config validation error: project: must be string, got number 5$/,
  },
  {
    name: 'a list where a mapping belongs',
    site: 'project: demo\nprofile: dev\npaths: [tools]\n',
    code: 'MXCP_E_SITE_INVALID',
    file: kSite,
    line: 3,
    message: /paths: must be object/,
  },
  {
    name: 'an unknown key at the root',
    site: 'project: demo\nprofile: dev\ntools: [a]\n',
    code: 'MXCP_E_SITE_INVALID',
    file: kSite,
    line: 3,
    message: /^Site config validation error: tools: unknown key 'tools' \(allowed: mxcp, project, profile, /,
  },
  {
    name: 'mxcp: "1" (a string)',
    site: 'mxcp: "1"\nproject: demo\nprofile: dev\n',
    code: 'MXCP_E_CONFIG_MIGRATION',
    file: kSite,
    line: 1,
    message: /^MIGRATION REQUIRED: Pre-production MXCP version detected \(mxcp: "1"\)/,
  },
  {
    name: 'an unknown key inside a profile',
    site: 'project: demo\nprofile: dev\nprofiles:\n  dev:\n    duckdb:\n      pth: x.duckdb\n',
    code: 'MXCP_E_SITE_INVALID',
    file: kSite,
    line: 6,
    message: /profiles\.dev\.duckdb\.pth: unknown key 'pth'/,
  },
  {
    name: 'mxcp: 2',
    site: 'mxcp: 2\nproject: demo\nprofile: dev\n',
    code: 'MXCP_E_SITE_INVALID',
    file: kSite,
    line: 1,
    message: /mxcp: must be 1, got 2/,
  },
  {
    name: 'a missing required key',
    site: 'project: demo\n',
    code: 'MXCP_E_SITE_INVALID',
    file: kSite,
    line: 1,
    message: /profile: required key is missing/,
  },
  {
    name: 'an empty file',
    site: '',
    code: 'MXCP_E_SITE_EMPTY',
    file: kSite,
    line: 1,
    message: /is empty/,
  },
  {
    name: 'a list at the top level',
    site: '- project: demo\n- profile: dev\n',
    code: 'MXCP_E_YAML_NOT_MAPPING',
    file: kSite,
    line: 1,
    message: /must be a mapping at the top level, got a list/,
  },
  {
    name: 'a file:// reference to a missing file',
    site: 'project: demo\nprofile: dev\nprofiles:\n  dev:\n    duckdb:\n      path: file://no-such-file.txt\n',
    code: 'MXCP_E_REF_UNRESOLVED',
    file: kSite,
    line: 6,
    message: /'profiles\.dev\.duckdb\.path': File not found: .*no-such-file\.txt/,
  },
  {
    name: 'NUL bytes (a binary file)',
    site: Buffer.from('project: demo\nprofile: dev\n\0\0\0\0'),
    code: 'MXCP_E_FILE_BINARY',
    file: kSite,
    line: 3,
    message: /binary/,
  },
  {
    name: 'invalid UTF-8 (Latin-1 text)',
    site: Buffer.concat([Buffer.from('project: demo\nprofile: dev\nsecrets: [caf'), Buffer.from([0xe9]), Buffer.from(']\n')]),
    code: 'MXCP_E_FILE_ENCODING',
    file: kSite,
    line: 3,
    message: /not valid UTF-8/,
  },
  {
    name: 'a YAML alias bomb ("billion laughs")',
    site: kBillionLaughs,
    code: 'MXCP_E_YAML_SYNTAX',
    file: kSite,
    line: 4,
    message: /alias/i,
  },
  {
    name: 'nesting 200 levels deep',
    site: `project: demo\nprofile: dev\nsecrets: ${'['.repeat(200)}${']'.repeat(200)}\n`,
    code: 'MXCP_E_YAML_TOO_DEEP',
    file: kSite,
    line: 3,
    message: /deeper than 100 levels/,
  },
];

describe.concurrent('bad mxcp-site.yml', () => {
  it.each(kSiteCases)('$name → $code at line $line', async (c) => {
    const project = tempProject({}, { site: null });
    projects.push(project);
    project.write(kSite, c.site);
    const r = await runCli(['list', '--json-output'], { cwd: project.root, home: project.home, env: c.env });
    expectCommandError(r, c);
  });

  it('an unset ${VAR} in the active profile names the variable, the key path and the line; human output alike', async () => {
    const project = tempProject({}, { site: null });
    projects.push(project);
    project.write(kSite, 'project: demo\nprofile: dev\nprofiles:\n  dev:\n    duckdb:\n      path: "${MXCP_SPEC_UNSET_DB}/db.duckdb"\n');
    const want = { code: 'MXCP_E_REF_UNRESOLVED', file: kSite, line: 6 } as const;
    const [json, human] = await Promise.all([
      runCli(['validate', '--json-output'], { cwd: project.root, home: project.home }),
      runCli(['list'], { cwd: project.root, home: project.home }),
    ]);
    expectCommandError(json, {
      ...want,
      message: "Failed to resolve reference at 'profiles.dev.duckdb.path': Environment variable MXCP_SPEC_UNSET_DB is not set",
    });
    expect(json.json<{ location: { path: string } }>().location.path).toBe('profiles.dev.duckdb.path');
    expectHumanError(human, want);
    expect(human.stderr).toContain('Environment variable MXCP_SPEC_UNSET_DB is not set');
  });

  it('a 50 MB file is refused by its size, quickly, without reading it', async () => {
    const project = tempProject({}, { site: null });
    projects.push(project);
    // Sparse: 50 MB of NUL bytes that take no disk. Reading it would report "binary", not "too large".
    const fd = openSync(project.path(kSite), 'w');
    ftruncateSync(fd, 50 * 1024 * 1024);
    closeSync(fd);
    const started = Date.now();
    const r = await runCli(['list', '--json-output'], { cwd: project.root, home: project.home });
    expect(Date.now() - started).toBeLessThan(5_000);
    expectCommandError(r, { code: 'MXCP_E_FILE_TOO_LARGE', file: kSite, message: /52428800 bytes; the limit is 4194304 bytes/ });
  });
});

interface UserCase extends ExpectedError {
  readonly name: string;
  readonly user: string;
  readonly env?: Record<string, string>;
}

const kUserCases: UserCase[] = [
  {
    name: 'mxcp: "1" (string) in the user config',
    user: 'mxcp: "1"\n',
    code: 'MXCP_E_CONFIG_MIGRATION',
    file: '',
    line: 1,
    message: /^MIGRATION REQUIRED/,
  },
  {
    name: 'an unknown key under transport',
    user: 'mxcp: 1\ntransport:\n  provider: stdio\n  bogus: 1\n',
    code: 'MXCP_E_USER_CONFIG_INVALID',
    file: '',
    line: 4,
    message: /^Invalid user config: transport\.bogus: unknown key 'bogus'/,
  },
  {
    name: 'an unknown key in the active profile',
    user: 'mxcp: 1\nprojects:\n  demo:\n    profiles:\n      dev:\n        secretz: []\n',
    code: 'MXCP_E_USER_CONFIG_INVALID',
    file: '',
    line: 6,
    message: /projects\.demo\.profiles\.dev\.secretz: unknown key/,
  },
  {
    name: 'a port that resolves to a non-number',
    user: 'mxcp: 1\ntransport:\n  http:\n    port: "${MXCP_SPEC_PORT}"\n',
    env: { MXCP_SPEC_PORT: 'eighty' },
    code: 'MXCP_E_USER_CONFIG_INVALID',
    file: '',
    line: 4,
    message: /transport\.http\.port: must be integer, got string "eighty"/,
  },
  {
    name: 'an unset ${VAR} in an active-profile secret',
    user: 'mxcp: 1\nprojects:\n  demo:\n    profiles:\n      dev:\n        secrets:\n          - name: api\n            type: custom\n            parameters:\n              key: ${MXCP_SPEC_API_KEY}\n',
    code: 'MXCP_E_REF_UNRESOLVED',
    file: '',
    line: 10,
    message: /projects\.demo\.profiles\.dev\.secrets\.0\.parameters\.key': Environment variable MXCP_SPEC_API_KEY is not set/,
  },
  {
    name: 'a YAML syntax error in the user config',
    user: 'mxcp: 1\ntransport: {provider: stdio\n',
    code: 'MXCP_E_YAML_SYNTAX',
    file: '',
    line: 3,
    message: /YAML syntax error/,
  },
  {
    name: 'a string where a list of secrets belongs',
    user: 'mxcp: 1\nprojects:\n  demo:\n    profiles:\n      dev:\n        secrets: api\n',
    code: 'MXCP_E_USER_CONFIG_INVALID',
    file: '',
    line: 6,
    message: /secrets: must be array/,
  },
];

describe.concurrent('bad user config', () => {
  it.each(kUserCases)('$name → $code at line $line', async (c) => {
    const project = tempProject();
    projects.push(project);
    const path = writeUserConfig(project, c.user);
    const r = await runCli(['list', '--json-output'], { cwd: project.root, home: project.home, env: c.env });
    expectCommandError(r, { ...c, file: path });
  });
});
