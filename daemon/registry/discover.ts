/**
 * Finds endpoint files: `*.yml` and `*.yaml` (DESIGN section 3; MXCP itself reads only `.yml`) under the
 * tools, resources and prompts folders, recursively, in a stable sorted order. Missing folders are skipped.
 */
import { readdir } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import type { SiteConfig } from '../config/types.js';
import type { EndpointKind } from './types.js';

export interface DiscoveredFile {
  readonly absPath: string;
  /** Relative to the project root, `/`-separated. */
  readonly relPath: string;
  /** The folder it was found in decides which kind it must hold. */
  readonly folderKind: EndpointKind;
}

const kFolderOf: Record<EndpointKind, keyof SiteConfig['paths']> = { tool: 'tools', resource: 'resources', prompt: 'prompts' };

export async function discoverEndpointFiles(root: string, paths: SiteConfig['paths']): Promise<DiscoveredFile[]> {
  const seen = new Set<string>();
  const out: DiscoveredFile[] = [];
  for (const kind of ['tool', 'resource', 'prompt'] as const) {
    const dir = resolve(root, paths[kFolderOf[kind]]);
    for (const absPath of await walk(dir)) {
      if (seen.has(absPath)) continue; // two `paths` entries naming one folder
      seen.add(absPath);
      out.push({ absPath, relPath: relative(root, absPath).split('\\').join('/'), folderKind: kind });
    }
  }
  return out;
}

async function walk(dir: string): Promise<string[]> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await walk(full)));
    else if ((entry.isFile() || entry.isSymbolicLink()) && /\.ya?ml$/.test(entry.name)) files.push(full);
  }
  return files;
}
