import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { type TempProject, tempProject } from './support/project.js';

let project: TempProject | undefined;
afterEach(() => project?.remove());

describe('CLI conventions', () => {
  it('prints the version with --version and exits 0', async () => {
    project = tempProject();
    const r = await runCli(['--version'], { cwd: project.root, home: project.home });
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('exits 2 on an unknown command, without a stack trace', async () => {
    project = tempProject();
    const r = await runCli(['no-such-command'], { cwd: project.root, home: project.home });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown command 'no-such-command'");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('every command answers --help with exit 0', async () => {
    project = tempProject();
    for (const cmd of ['init', 'list', 'validate']) {
      const r = await runCli([cmd, '--help'], { cwd: project.root, home: project.home });
      expect(r.code, cmd).toBe(0);
      expect(r.stdout, cmd).toContain(`Usage: mxcp ${cmd}`);
    }
  });

  it('outside a project, list exits 1 naming the missing mxcp-site.yml', async () => {
    project = tempProject({}, { site: null });
    const r = await runCli(['list', '--json-output'], { cwd: project.root, home: project.home });
    expect(r.code).toBe(1);
    const body = r.json();
    expect(body.status).toBe('error');
    expect(body.error).toContain('No mxcp-site.yml found in current directory or parents');
    expect(body.code).toBe('MXCP_E_SITE_NOT_FOUND');
  });
});
