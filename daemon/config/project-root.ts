import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Errors } from '../../sdk/errors/index.js';

export const kSiteFileName = 'mxcp-site.yml';

/** Walks up from `cwd` to the first directory holding `mxcp-site.yml`; `undefined` when there is none. */
export function findProjectRoot(cwd: string): string | undefined {
  let dir = resolve(cwd);
  for (;;) {
    if (existsSync(join(dir, kSiteFileName))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export function requireProjectRoot(cwd: string): string {
  const root = findProjectRoot(cwd);
  if (!root) throw new Errors.MXCP_E_SITE_NOT_FOUND({ cwd: resolve(cwd) });
  return root;
}
