/**
 * A plugin's configuration block, validated against its manifest's `configSchema` on a copy (defaults
 * applied) and frozen. Blocks live in the user config under `plugins.config.<name>`, keyed by the package
 * name or, for scoped packages, by the name without its scope (`executor-js` for `@mxcp/executor-js`).
 * UDF instances take theirs from `profiles.<p>.plugin.config.<config>` instead (MXCP's form).
 */
import { pluginErrors } from '../../sdk/errors/plugins.js';
import { deepFreeze } from '../config/freeze.js';
import { describeAjvErrors } from './plugin-ajv.js';
import { failure, type PluginFailure, type PluginRecord } from './types.js';

export type ConfigResult =
  | { readonly ok: true; readonly config: Readonly<Record<string, unknown>> }
  | { readonly ok: false; readonly failure: PluginFailure };

/** The block for `record` in a `plugins.config` map, and the key path it came from. */
export function configBlock(
  record: PluginRecord,
  blocks: Readonly<Record<string, unknown>> | undefined,
): { value: unknown; where: string } {
  const short = record.name.includes('/') ? record.name.slice(record.name.indexOf('/') + 1) : undefined;
  if (blocks && Object.hasOwn(blocks, record.name)) return { value: blocks[record.name], where: `plugins.config.${record.name}` };
  if (blocks && short && Object.hasOwn(blocks, short)) return { value: blocks[short], where: `plugins.config.${short}` };
  return { value: {}, where: `plugins.config.${short ?? record.name}` };
}

export function validateConfig(record: PluginRecord, value: unknown, where: string): ConfigResult {
  const data = structuredClone(value ?? {});
  const validate = record.validateConfig;
  if (validate && !validate(data)) {
    // Ajv's messages name paths and schema constraints, never the offending values: safe for secrets.
    const detail = describeAjvErrors(validate.errors);
    return { ok: false, failure: failure('config', pluginErrors.MXCP_E_PLUGIN_CONFIG_INVALID, { plugin: record.name, where, detail }) };
  }
  return { ok: true, config: deepFreeze(data as Record<string, unknown>) };
}
