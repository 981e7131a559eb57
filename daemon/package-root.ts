/**
 * Locates files shipped with the package (JSON Schemas, templates) both when running from the TypeScript
 * sources (tests) and from `dist/` (the installed bin).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'config', 'schemas'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('mxcp package root not found (config/schemas missing)');
    dir = parent;
  }
}

export const kPackageRoot = findPackageRoot();

export const kPackageVersion: string = (JSON.parse(readFileSync(join(kPackageRoot, 'package.json'), 'utf8')) as { version: string })
  .version;

export function packagePath(...segments: string[]): string {
  return join(kPackageRoot, ...segments);
}
