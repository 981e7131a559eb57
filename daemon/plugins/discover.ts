/**
 * Deterministic discovery (STYLE 8). Order, which is also precedence when two plugins share a name:
 *
 *   1. built-ins           <package>/dist/plugins/*            (sorted by folder name)
 *   2. the project          <root>/<paths.plugins>/*            (sorted)
 *   3. MXCP_PLUGIN_PATH     each ':'-separated dir, its sub-folders (dirs in the given order, sub-folders sorted)
 *   4. npm packages         user config `plugins.packages`      (in the listed order)
 *
 * Discovery reads manifests only. A name seen a second time is reported as MXCP_E_PLUGIN_DUPLICATE on the
 * later record; the earlier one stays in use. A folder reached twice (the same real path) is listed once.
 */
import { type Dirent, existsSync } from 'node:fs';
import { readdir, realpath } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { pluginErrors } from '../../sdk/errors/plugins.js';
import { packagePath } from '../package-root.js';
import { readPluginRecord } from './manifest.js';
import { failure, type PluginRecord, type PluginSource } from './types.js';

export interface DiscoverOptions {
  /** Working directory: base of relative `MXCP_PLUGIN_PATH` entries. */
  readonly cwd: string;
  /** The project's plugins folder (absolute), when there is a project. */
  readonly projectPluginsDir?: string;
  /** The value of `MXCP_PLUGIN_PATH`. */
  readonly pluginPath?: string;
  /** `plugins.packages` of the user config. */
  readonly packages?: readonly string[];
  /** Where npm packages are resolved from (the project root); the mxcp package's own location is tried too. */
  readonly packageBase?: string;
  /** Overrides the built-in folder (tests). */
  readonly builtinDir?: string;
}

/** Folders that are never plugins: tooling and Python leftovers of MXCP projects. */
const kIgnored = new Set(['node_modules', '__pycache__']);

export async function discoverPlugins(options: DiscoverOptions): Promise<PluginRecord[]> {
  const found: PluginRecord[] = [];
  const seenDirs = new Set<string>();
  const add = async (dir: string, source: PluginSource) => {
    const real = await realpath(dir).catch(() => dir);
    if (seenDirs.has(real)) return;
    seenDirs.add(real);
    found.push(await readPluginRecord(dir, source));
  };

  for (const dir of await subfolders(options.builtinDir ?? packagePath('dist', 'plugins'))) await add(dir, 'builtin');
  if (options.projectPluginsDir) for (const dir of await subfolders(options.projectPluginsDir)) await add(dir, 'project');
  for (const entry of (options.pluginPath ?? '').split(delimiter).filter((p) => p.trim() !== '')) {
    const base = isAbsolute(entry) ? entry : resolve(options.cwd, entry);
    if (!existsSync(base)) {
      found.push(missing(base, 'path', `MXCP_PLUGIN_PATH entry ${base} does not exist`));
      continue;
    }
    for (const dir of await subfolders(base)) await add(dir, 'path');
  }
  for (const name of options.packages ?? []) {
    const dir = resolvePackageDir(
      name,
      [options.packageBase, packagePath()].filter((b): b is string => b !== undefined),
    );
    if (dir) await add(dir, 'package');
    else found.push(missing(name, 'package', `npm package '${name}' (plugins.packages) is not installed`));
  }
  markDuplicates(found);
  return found;
}

async function subfolders(dir: string): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((e) => (e.isDirectory() || e.isSymbolicLink()) && !e.name.startsWith('.') && !kIgnored.has(e.name))
    .map((e) => e.name)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((name) => join(dir, name));
}

function missing(name: string, source: PluginSource, detail: string): PluginRecord {
  return { name, dir: name, source, failure: failure('discover', pluginErrors.MXCP_E_PLUGIN_NOT_FOUND, { plugin: name, detail }) };
}

/** Node's own lookup (every `node_modules` up from each base), without requiring the package to export package.json. */
function resolvePackageDir(name: string, bases: readonly string[]): string | undefined {
  for (const base of bases) {
    const lookup = createRequire(join(base, 'package.json')).resolve.paths(name) ?? [];
    for (const modules of lookup) {
      const dir = join(modules, name);
      if (existsSync(join(dir, 'package.json'))) return dir;
    }
  }
  return undefined;
}

function markDuplicates(records: PluginRecord[]): void {
  const first = new Map<string, PluginRecord>();
  for (const record of records) {
    if (!record.manifest) continue;
    const earlier = first.get(record.name);
    if (!earlier) {
      first.set(record.name, record);
      continue;
    }
    // The manifest stays on the record (kind and version are still worth showing), but it is never loaded.
    record.failure = failure('duplicate', pluginErrors.MXCP_E_PLUGIN_DUPLICATE, {
      plugin: record.name,
      detail: `${record.dir} has the same name as ${earlier.dir} (${earlier.source}), which is used instead`,
    });
  }
}
