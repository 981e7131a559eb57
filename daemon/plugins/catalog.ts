/**
 * What `mxcp plugins` reports: every discovered plugin, loaded as far as is possible without building a
 * generation (manifest, SDK range, entry import, definition shape, configuration block). Creating instances
 * and their hooks happens only in a real build, whose failures carry the same codes in the log.
 *
 * Works outside a project too (built-ins, MXCP_PLUGIN_PATH and the user config's packages), and reads the
 * configuration raw: a listing must never call a secret store, and must still work when the configuration
 * does not load (a broken required plugin is exactly when it is needed).
 */
import type { PluginKind } from '../../sdk/plugin-kinds.js';
import type { Env } from '../config/env.js';
import { findProjectRoot } from '../config/project-root.js';
import { discoverPlugins } from './discover.js';
import { loadEntry } from './entry-loader.js';
import { configBlock, validateConfig } from './plugin-config.js';
import { readRawPluginConfig } from './raw-config.js';
import { schemesIn } from './requirements.js';
import { kindOf, type PluginPhase, type PluginRecord, type PluginSource } from './types.js';

export interface PluginReport {
  readonly name: string;
  readonly kind: PluginKind | null;
  readonly version: string | null;
  readonly source: PluginSource;
  readonly dir: string;
  readonly provides: readonly string[];
  readonly status: 'ok' | 'error';
  /** For broken plugins: the step that failed, the MXCP_E_* code and the message. */
  readonly phase?: PluginPhase;
  readonly code?: string;
  readonly error?: string;
}

export interface CatalogOptions {
  readonly cwd: string;
  readonly env: Env;
  readonly home?: string;
}

export async function pluginCatalog(options: CatalogOptions): Promise<{ root: string | null; plugins: PluginReport[] }> {
  const root = findProjectRoot(options.cwd);
  const raw = await readRawPluginConfig({ ...options, ...(root ? { root } : {}) });
  const records = await discoverPlugins({
    cwd: options.cwd,
    ...(raw.pluginsDir ? { projectPluginsDir: raw.pluginsDir } : {}),
    pluginPath: options.env.MXCP_PLUGIN_PATH,
    packages: raw.packages,
    ...(root ? { packageBase: root } : {}),
  });
  const plugins: PluginReport[] = [];
  for (const record of records) {
    await check(record, raw.blocks);
    plugins.push(report(record));
  }
  return { root: root ?? null, plugins };
}

async function check(record: PluginRecord, blocks: Readonly<Record<string, unknown>>): Promise<void> {
  if (record.failure) return;
  const entry = await loadEntry(record);
  if (!entry.ok) {
    record.failure = entry.failure;
    return;
  }
  // UDF blocks are per `plugin:` entry of a profile, not per plugin; a block holding unresolved references
  // cannot be judged raw (a `${PORT}` where an integer belongs), so both are left to the real build.
  const block = configBlock(record, blocks);
  if (kindOf(record) === 'udf' || schemesIn(strings(block.value)).size > 0) return;
  const config = validateConfig(record, block.value, block.where);
  if (!config.ok) record.failure = config.failure;
}

function report(record: PluginRecord): PluginReport {
  const base = {
    name: record.name,
    kind: kindOf(record) ?? null,
    version: record.manifest?.version ?? null,
    source: record.source,
    dir: record.dir,
    provides: record.manifest?.mxcp.provides ?? [],
  };
  const f = record.failure;
  return f ? { ...base, status: 'error', phase: f.phase, code: f.error.code, error: f.error.message } : { ...base, status: 'ok' };
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}
