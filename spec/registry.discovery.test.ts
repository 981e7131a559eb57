/**
 * Endpoint discovery (reference section 1, checklist items 1-5): which files are found, which are skipped,
 * and how duplicate identifiers are reported across tools, resources and prompts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { type TempProject, tempProject } from './support/project.js';

interface Listed {
  path: string;
  kind: string;
  name: string;
  error: string;
}

let project: TempProject | undefined;
afterEach(() => project?.remove());

const tool = (name: string, extra = '') => `mxcp: 1\ntool:\n  name: ${name}\n${extra}  source:\n    code: SELECT 1\n`;
const prompt = (name: string) => `mxcp: 1\nprompt:\n  name: ${name}\n  messages:\n    - prompt: hello\n`;
const resource = (uri: string) => `mxcp: 1\nresource:\n  uri: ${uri}\n  source:\n    code: SELECT 1\n`;

async function list(p: TempProject) {
  const r = await runCli(['list', '--json-output'], { cwd: p.root, home: p.home });
  expect(r.code, r.stderr).toBe(0);
  const result = r.json<{ result: { status: string; endpoints: Listed[] } }>().result;
  return { r, result, byName: new Map(result.endpoints.map((e) => [e.name, e])) };
}

describe('endpoint discovery', () => {
  it('item 1: finds tools/**/*.yml recursively, and (DESIGN 3) *.yaml too; other files are ignored', async () => {
    project = tempProject({
      'tools/top.yml': tool('top'),
      'tools/a/b/c/nested.yml': tool('nested'),
      'tools/long.yaml': tool('long_ext'),
      'tools/notes.txt': tool('not_yaml'),
      'tools/.hidden.yml': tool('hidden'),
      'tools/top.yml.bak': tool('backup'),
    });
    const { result, byName } = await list(project);
    expect([...byName.keys()].sort()).toEqual(['long_ext', 'nested', 'top']);
    expect(byName.get('nested')).toEqual({ path: project.path('tools/a/b/c/nested.yml'), kind: 'tool', name: 'nested', error: '' });
    expect(byName.get('long_ext')?.path).toBe(project.path('tools/long.yaml'));
    expect(result.status).toBe('ok');
  });

  it('item 2: a file in tools/ holding a resource is skipped (not listed, not an error), with a warning', async () => {
    project = tempProject({ 'tools/real.yml': tool('real'), 'tools/misplaced.yml': resource('data://misplaced') });
    const { r, result } = await list(project);
    expect(result.endpoints.map((e) => e.name)).toEqual(['real']);
    expect(result.status).toBe('ok');
    expect(r.stderr).toContain('tools/misplaced.yml holds a resource, not a tool');
    const validate = await runCli(['validate', '--json-output'], { cwd: project.root, home: project.home });
    expect(validate.code).toBe(0);
    expect(validate.json<{ result: { validated: { path: string }[] } }>().result.validated.map((v) => v.path)).toEqual(['tools/real.yml']);
  });

  it('item 3: enabled: false is neither listed nor validated nor counted as a duplicate, silently', async () => {
    project = tempProject({
      'tools/on.yml': tool('twin'),
      'tools/off.yml': tool('twin', '  enabled: false\n'),
      'prompts/off.yml': 'mxcp: 1\nprompt:\n  name: quiet\n  enabled: false\n  messages:\n    - prompt: hello\n',
    });
    const [{ r, result }, validate] = await Promise.all([
      list(project),
      runCli(['validate', '--json-output'], { cwd: project.root, home: project.home }),
    ]);
    expect(result.endpoints).toEqual([{ path: project.path('tools/on.yml'), kind: 'tool', name: 'twin', error: '' }]);
    expect(r.stderr).toBe('');
    expect(validate.code).toBe(0);
    expect(validate.json<{ result: unknown }>().result).toEqual({ status: 'ok', validated: [{ status: 'ok', path: 'tools/on.yml' }] });
  });

  it("item 4: two tools with one name are both reported: Duplicate endpoint name '<n>' found in: ...", async () => {
    project = tempProject({ 'tools/a.yml': tool('dup'), 'tools/sub/b.yml': tool('dup'), 'tools/c.yml': tool('unique') });
    const { result } = await list(project);
    const msg = "Duplicate endpoint name 'dup' found in: tools/a.yml, tools/sub/b.yml (MXCP_E_ENDPOINT_DUPLICATE)";
    expect(result.status).toBe('error');
    expect(result.endpoints).toEqual([
      { path: project.path('tools/a.yml'), kind: 'tool', name: 'dup', error: `tools/a.yml:3:9: ${msg}` },
      { path: project.path('tools/c.yml'), kind: 'tool', name: 'unique', error: '' },
      { path: project.path('tools/sub/b.yml'), kind: 'tool', name: 'dup', error: `tools/sub/b.yml:3:9: ${msg}` },
    ]);
  });

  it('item 5: a tool and a prompt sharing a name are duplicates; so are two resources with one URI', async () => {
    project = tempProject({
      'tools/shared.yml': tool('shared'),
      'prompts/shared.yml': prompt('shared'),
      'resources/one.yml': resource('data://x'),
      'resources/two.yml': resource('data://x'),
      'resources/named.yml': resource('data://y'),
      // A resource whose URI equals a tool name still collides: identifiers share one namespace.
      'tools/uri-like.yml': tool('data://y'),
    });
    const { result } = await list(project);
    const errors = result.endpoints.map((e) => e.error.replace(/^[^:]+:\d+:\d+: /, ''));
    expect(errors).toContain("Duplicate endpoint name 'shared' found in: tools/shared.yml, prompts/shared.yml (MXCP_E_ENDPOINT_DUPLICATE)");
    expect(errors.filter((e) => e.startsWith("Duplicate endpoint name 'shared'"))).toHaveLength(2);
    expect(
      errors.filter((e) => e.startsWith("Duplicate endpoint URI 'data://x' found in: resources/one.yml, resources/two.yml")),
    ).toHaveLength(2);
    expect(errors.filter((e) => e.startsWith("Duplicate endpoint URI 'data://y'"))).toHaveLength(2);
  });
});
