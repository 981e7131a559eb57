/**
 * What discovery needs before the configuration can be resolved (resolution needs the secret backends,
 * which discovery finds): the project's plugins folder, `plugins.packages` / `plugins.config` of the user
 * config, and every string in both files (to see which reference schemes are in use). Read raw, without
 * resolving anything; a file that does not parse yields defaults here and its real error from the loader.
 */
import { join, resolve } from 'node:path';
import type { Env } from '../config/env.js';
import { kSiteFileName } from '../config/project-root.js';
import { userConfigPath } from '../config/user-config.js';
import { readYamlFile } from '../config/yaml-file.js';

export interface RawPluginConfig {
  /** Absolute path of the project's plugins folder (`paths.plugins`, default `plugins`). */
  readonly pluginsDir: string | undefined;
  readonly packages: readonly string[];
  /** `plugins.config`, unresolved. */
  readonly blocks: Readonly<Record<string, unknown>>;
  /** Every string leaf of both files. */
  readonly strings: readonly string[];
}

export interface RawConfigOptions {
  /** The project root; without one (`mxcp plugins` outside a project) only the user config is read. */
  readonly root?: string;
  readonly cwd: string;
  readonly env: Env;
  readonly home?: string;
}

export async function readRawPluginConfig(options: RawConfigOptions): Promise<RawPluginConfig> {
  const site = options.root === undefined ? undefined : await readData(join(options.root, kSiteFileName));
  const user = await readData(userConfigPath(options.env, options.home, options.cwd).path);
  const paths = record(record(site).paths);
  const plugins = record(record(user).plugins);
  const strings: string[] = [];
  collectStrings(site, strings);
  collectStrings(user, strings);
  return {
    pluginsDir:
      options.root === undefined ? undefined : resolve(options.root, typeof paths.plugins === 'string' ? paths.plugins : 'plugins'),
    packages: Array.isArray(plugins.packages) ? plugins.packages.filter((p): p is string => typeof p === 'string') : [],
    blocks: record(plugins.config),
    strings,
  };
}

async function readData(path: string): Promise<unknown> {
  try {
    return (await readYamlFile(path, path)).data;
  } catch {
    return undefined;
  }
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function collectStrings(node: unknown, out: string[]): void {
  if (typeof node === 'string') out.push(node);
  else if (Array.isArray(node)) for (const v of node) collectStrings(v, out);
  else if (node !== null && typeof node === 'object') for (const v of Object.values(node)) collectStrings(v, out);
}
