/**
 * Imports a plugin's entry module and takes its definition (STYLE 8 phases: resolve → export). Never
 * evaluates a module twice: Node caches by URL, and the URL only changes when the plugin's files do.
 *
 * The default export is either `definePlugin({...})` or, as shorthand, a factory function
 * `(host, config) => instance` (host: the ExecutorHost for executors, the PluginContext otherwise).
 */
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { register } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { pluginErrors } from '../../sdk/errors/plugins.js';
import { kPluginDefinition, type PluginContext } from '../../sdk/plugin-definition.js';
import { packagePath } from '../package-root.js';
import { kPluginQuery, type PluginHooksData } from './hook-protocol.js';
import { hookTimeoutMs, kTimedOut, withTimeout } from './hook-timeout.js';
import { entryPath } from './manifest.js';
import { importNative } from './native-import.js';
import { failure, messageOf, type PluginFailure, type PluginRecord } from './types.js';

/** The entry's definition, normalised. */
export interface LoadedDefinition {
  /** The kind the definition declares (`undefined` for a bare factory). */
  readonly kind?: string;
  readonly create?: (context: PluginContext) => unknown;
  readonly useClass?: new (...args: never[]) => unknown;
  /** Bare factory default export. */
  readonly factory?: (host: unknown, config: unknown) => unknown;
}

export type EntryResult =
  | { readonly ok: true; readonly definition: LoadedDefinition }
  | { readonly ok: false; readonly failure: PluginFailure };

let hooksRegistered = false;

/** Registers module-hooks.js once; only out-of-tree plugins need it (built-ins are compiled and import the SDK relatively). */
function ensureHooks(): void {
  if (hooksRegistered) return;
  hooksRegistered = true;
  const hooks = packagePath('dist', 'daemon', 'plugins', 'module-hooks.js');
  if (!existsSync(hooks)) return; // sources without a build: plain .js plugins that avoid `mxcp/sdk` still load
  const data: PluginHooksData = { sdkUrl: pathToFileURL(packagePath('dist', 'sdk', 'index.js')).href };
  register(pathToFileURL(hooks).href, { data });
}

/** URL to import: plain for built-ins; tagged with a stamp of the plugin's files otherwise, so a changed plugin reloads. */
async function entryUrl(record: PluginRecord, path: string): Promise<string> {
  const url = pathToFileURL(path);
  if (record.source === 'builtin') return url.href;
  const [manifest, entry] = await Promise.all([stat(join(record.dir, 'package.json')), stat(path)]);
  const stamp = `${record.manifest?.version}-${manifest.mtimeMs}-${entry.mtimeMs}-${entry.size}`.replace(/[^A-Za-z0-9-]/g, '_');
  url.searchParams.set(kPluginQuery, `${Buffer.from(record.dir).toString('base64url')}.${stamp}`);
  return url.href;
}

export async function loadEntry(record: PluginRecord): Promise<EntryResult> {
  const plugin = record.name;
  const path = entryPath(record);
  if (!existsSync(path)) {
    const detail = `entry ${record.manifest?.mxcp.entry} does not exist in ${record.dir}`;
    return { ok: false, failure: failure('entry', pluginErrors.MXCP_E_PLUGIN_NOT_FOUND, { plugin, detail }) };
  }
  if (record.source !== 'builtin') ensureHooks();
  let mod: Record<string, unknown>;
  const ms = hookTimeoutMs(record);
  try {
    // A top-level await that never settles must not hang the build: the import is bounded like a hook.
    mod = await withTimeout(importNative(await entryUrl(record, path)), ms);
  } catch (err) {
    if (err === kTimedOut) {
      return { ok: false, failure: failure('entry', pluginErrors.MXCP_E_PLUGIN_TIMEOUT, { plugin, hook: 'import', ms, detail: '' }) };
    }
    return { ok: false, failure: failure('entry', pluginErrors.MXCP_E_PLUGIN_ENTRY_LOAD, { plugin, detail: messageOf(err) }, err) };
  }
  const exported = mod.default;
  if (exported === undefined) {
    const detail = `${record.manifest?.mxcp.entry} has no default export (export default definePlugin({...}))`;
    return { ok: false, failure: failure('entry', pluginErrors.MXCP_E_PLUGIN_ENTRY_LOAD, { plugin, detail }) };
  }
  if (typeof exported === 'function' && !(kPluginDefinition in exported)) {
    return { ok: true, definition: { factory: exported as LoadedDefinition['factory'] } };
  }
  const def = exported as Record<PropertyKey, unknown>;
  const kind = record.manifest?.mxcp.kind ?? '';
  const bad = (detail: string) =>
    ({ ok: false, failure: failure('contract', pluginErrors.MXCP_E_PLUGIN_CONTRACT, { plugin, kind, detail }) }) as const;
  if (typeof def !== 'object' || def === null || def[kPluginDefinition] !== true) {
    return bad('the default export is neither definePlugin({...}) nor a factory function');
  }
  if (def.kind !== kind) return bad(`the definition says kind '${String(def.kind)}' but the manifest says '${kind}'`);
  if (typeof def.create !== 'function' && typeof def.useClass !== 'function') return bad('the definition has neither create nor useClass');
  return {
    ok: true,
    definition: {
      kind,
      create: def.create as LoadedDefinition['create'],
      useClass: def.useClass as LoadedDefinition['useClass'],
    },
  };
}
