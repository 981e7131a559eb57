// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are YAML holding ${VAR} references on purpose
/** `mxcp-site.yml` loading (reference section 2, checklist items 7, 8, 11, 14; DESIGN section 3). */
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { expectCommandError, expectHumanError } from './support/coded.js';
import { type TempProject, tempProject } from './support/project.js';

let project: TempProject | undefined;
afterEach(() => project?.remove());

const kTool = 'mxcp: 1\ntool:\n  name: found\n  source:\n    code: SELECT 1\n';

async function listedNames(p: TempProject, opts: { cwd?: string; env?: Record<string, string> } = {}) {
  const r = await runCli(['list', '--json-output'], { cwd: opts.cwd ?? p.root, home: p.home, env: opts.env });
  expect(r.code, r.stdout + r.stderr).toBe(0);
  return r.json<{ result: { endpoints: { name: string; path: string }[] } }>().result.endpoints;
}

describe('mxcp-site.yml', () => {
  it('item 7: an unknown key (foo: 1) makes every project command exit 1 with "Site config validation error"', async () => {
    project = tempProject({ 'tools/t.yml': kTool }, { site: 'mxcp: 1\nproject: demo\nprofile: dev\nfoo: 1\n' });
    const want = { code: 'MXCP_E_SITE_INVALID', file: 'mxcp-site.yml', line: 4 };
    const opts = { cwd: project.root, home: project.home };
    const [listJson, validateJson, listHuman, validateHuman] = await Promise.all([
      runCli(['list', '--json-output'], opts),
      runCli(['validate', '--json-output'], opts),
      runCli(['list'], opts),
      runCli(['validate', 'tools/t.yml'], opts),
    ]);
    for (const r of [listJson, validateJson])
      expectCommandError(r, { ...want, message: /^Site config validation error: foo: unknown key 'foo'/ });
    for (const r of [listHuman, validateHuman]) {
      expectHumanError(r, want);
      expect(r.stderr).toContain("mxcp-site.yml:4:1: Site config validation error: foo: unknown key 'foo'");
    }
  });

  it('item 8: mxcp: "1" (a string) fails with MIGRATION REQUIRED; omitting mxcp is accepted', async () => {
    project = tempProject({ 'tools/t.yml': kTool }, { site: 'mxcp: "1"\nproject: demo\nprofile: dev\n' });
    const legacy = await runCli(['list', '--json-output'], { cwd: project.root, home: project.home });
    expectCommandError(legacy, {
      code: 'MXCP_E_CONFIG_MIGRATION',
      file: 'mxcp-site.yml',
      line: 1,
      message: /^MIGRATION REQUIRED: Pre-production MXCP version detected/,
    });

    project.write('mxcp-site.yml', 'project: demo\nprofile: dev\n');
    expect((await listedNames(project)).map((e) => e.name)).toEqual(['found']);
  });

  it('item 11 (as DECIDED in DESIGN 3): ${VAR} in mxcp-site.yml IS expanded, anywhere in a string', async () => {
    project = tempProject(
      { 'custom/endpoints/t.yml': kTool },
      { site: 'mxcp: 1\nproject: demo\nprofile: dev\npaths:\n  tools: "${MXCP_SPEC_BASE}/${MXCP_SPEC_LEAF}"\n' },
    );
    const endpoints = await listedNames(project, { env: { MXCP_SPEC_BASE: 'custom', MXCP_SPEC_LEAF: 'endpoints' } });
    expect(endpoints).toEqual([expect.objectContaining({ name: 'found', path: project.path('custom/endpoints/t.yml') })]);
    // Not expanded would mean a folder literally named "${MXCP_SPEC_BASE}": unset, the load fails instead.
    const unset = await runCli(['list', '--json-output'], { cwd: project.root, home: project.home, env: { MXCP_SPEC_LEAF: 'endpoints' } });
    expectCommandError(unset, {
      code: 'MXCP_E_REF_UNRESOLVED',
      file: 'mxcp-site.yml',
      line: 5,
      message: "Failed to resolve reference at 'paths.tools': Environment variable MXCP_SPEC_BASE is not set",
    });
  });

  it('item 14: file://relative resolves against the working directory and its content is stripped', async () => {
    project = tempProject(
      { 'my-tools/t.yml': kTool, 'sub/dir/tools-path.txt': '  \n my-tools \n\n' },
      { site: 'mxcp: 1\nproject: demo\nprofile: dev\npaths:\n  tools: file://tools-path.txt\n' },
    );
    // From sub/dir the file exists beside the CWD (not beside mxcp-site.yml): it resolves, stripped.
    const endpoints = await listedNames(project, { cwd: project.path('sub/dir') });
    expect(endpoints.map((e) => e.path)).toEqual([project.path('my-tools/t.yml')]);
    // From the project root there is no tools-path.txt: the reference names the file it looked for.
    const fromRoot = await runCli(['list', '--json-output'], { cwd: project.root, home: project.home });
    expectCommandError(fromRoot, {
      code: 'MXCP_E_REF_UNRESOLVED',
      file: 'mxcp-site.yml',
      line: 5,
      message: `Failed to resolve reference at 'paths.tools': File not found: ${project.path('tools-path.txt')}`,
    });
  });

  it('a resolved ${VAR} is converted where the schema wants a boolean; a quoted literal is still an error', async () => {
    project = tempProject({ 'tools/t.yml': kTool }, { site: 'project: demo\nprofile: dev\nsql_tools:\n  enabled: ${MXCP_SPEC_FLAG}\n' });
    const [on, bad] = await Promise.all([
      runCli(['list', '--json-output'], { cwd: project.root, home: project.home, env: { MXCP_SPEC_FLAG: 'true' } }),
      runCli(['list', '--json-output'], { cwd: project.root, home: project.home, env: { MXCP_SPEC_FLAG: 'maybe' } }),
    ]);
    expect(on.code, on.stdout).toBe(0);
    expectCommandError(bad, {
      code: 'MXCP_E_SITE_INVALID',
      file: 'mxcp-site.yml',
      line: 4,
      message: /sql_tools\.enabled: must be boolean, got string "maybe"/,
    });

    project.write('mxcp-site.yml', 'project: demo\nprofile: dev\nsql_tools:\n  enabled: "true"\n');
    const literal = await runCli(['list', '--json-output'], { cwd: project.root, home: project.home });
    expectCommandError(literal, {
      code: 'MXCP_E_SITE_INVALID',
      file: 'mxcp-site.yml',
      line: 4,
      message: /must be boolean, got string "true"/,
    });
  });

  it('MXCP accepts a scalar where a list belongs and null for empty sections', async () => {
    project = tempProject(
      { 'tools/t.yml': kTool },
      {
        site: 'mxcp: 1\nproject: demo\nprofile: dev\nsecrets: one\nplugin: null\nextensions: null\ndbt: null\npaths: null\nprofiles:\n  dev: null\n',
      },
    );
    expect((await listedNames(project)).map((e) => e.name)).toEqual(['found']);
  });
});
