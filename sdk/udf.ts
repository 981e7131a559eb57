/**
 * The `udf` plugin kind: DuckDB scalar functions written in TypeScript (MXCP's `plugin:` section of
 * `mxcp-site.yml`). Each `plugin:` entry `{name, module, config}` creates one instance of the plugin whose
 * package name (or folder name) is `module`, configured with the user config block
 * `profiles.<p>.plugin.config.<config>`. Every method declared in {@link UdfPlugin.functions} becomes the SQL
 * function `<method>_<name>`:
 *
 * ```ts
 * class Strings implements UdfPlugin {
 *   readonly functions = { shout: { parameters: ['VARCHAR'], returns: 'VARCHAR' } };
 *   shout(text: string | null): string | null {
 *     return text === null ? null : text.toUpperCase();
 *   }
 * }
 * // mxcp-site.yml: plugin: [{ name: str, module: my-strings }]  →  SELECT shout_str('hi')  →  'HI'
 * ```
 *
 * Methods run synchronously on the daemon's main thread while DuckDB waits for them: keep them fast and
 * never return a Promise. NULL arguments arrive as `null`; returning `null` gives SQL NULL.
 */
import type { PluginLifecycle } from './plugin-kinds.js';

/** A function's SQL signature in DuckDB type names: `VARCHAR`, `INTEGER`, `DOUBLE`, `VARCHAR[]`, `MAP(VARCHAR, INTEGER)`, ... */
export interface UdfSignature {
  readonly parameters: readonly string[];
  readonly returns: string;
  /** Set when results may differ for equal arguments (time, randomness), so DuckDB never folds a call. */
  readonly volatile?: boolean;
}

export interface UdfPlugin extends PluginLifecycle {
  /** Method name → signature. Only the methods listed here are exposed to SQL. */
  readonly functions: Readonly<Record<string, UdfSignature>>;
}
