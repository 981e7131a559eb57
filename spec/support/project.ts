/** Temporary MXCP projects for specs: a folder with `mxcp-site.yml` and whatever files a test adds. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface TempProject {
  readonly root: string;
  /** A home directory with no `.mxcp/config.yml` unless a test writes one. */
  readonly home: string;
  write(relPath: string, content: string | Buffer): string;
  path(relPath: string): string;
  remove(): void;
}

export const kMinimalSite = 'mxcp: 1\nproject: demo\nprofile: dev\n';

export function tempProject(files: Record<string, string | Buffer> = {}, opts: { site?: string | null } = {}): TempProject {
  const base = mkdtempSync(join(tmpdir(), 'mxcp-spec-'));
  const root = join(base, 'project');
  const home = join(base, 'home');
  mkdirSync(root);
  mkdirSync(home);
  const project: TempProject = {
    root,
    home,
    write(relPath, content) {
      const full = join(root, relPath);
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, content);
      return full;
    },
    path: (relPath) => join(root, relPath),
    remove: () => rmSync(base, { recursive: true, force: true }),
  };
  if (opts.site !== null) project.write('mxcp-site.yml', opts.site ?? kMinimalSite);
  for (const [rel, content] of Object.entries(files)) project.write(rel, content);
  return project;
}

/** A SQL tool file body. */
export function sqlTool(name: string, sql = 'SELECT 1 AS one', extra = ''): string {
  return `mxcp: 1\ntool:\n  name: ${name}\n  description: test tool ${name}\n${extra}  source:\n    code: "${sql}"\n`;
}
