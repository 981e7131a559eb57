import { defineError } from './base.js';

/**
 * Shared parameters: `plugin` names the plugin (package name, or its folder when the manifest is unreadable)
 * and `required`, when set, says why the configuration cannot do without it (then the failure is fatal).
 */
export interface PluginParams {
  plugin: string;
  detail: string;
  required?: string;
}

const need = (p: PluginParams): string => (p.required ? ` [required: ${p.required}]` : '');

/** Plugin discovery, manifests, loading and lifecycle (daemon/plugins/). Each failure mode has its own code. */
export const pluginErrors = {
  MXCP_E_PLUGIN_NOT_FOUND: defineError<PluginParams>(
    'MXCP_E_PLUGIN_NOT_FOUND',
    (p) => `Plugin '${p.plugin}' not found: ${p.detail}${need(p)}`,
  ),
  MXCP_E_PLUGIN_MANIFEST_INVALID: defineError<PluginParams>(
    'MXCP_E_PLUGIN_MANIFEST_INVALID',
    (p) => `Plugin '${p.plugin}' has an invalid manifest (package.json): ${p.detail}${need(p)}`,
  ),
  MXCP_E_PLUGIN_SDK_INCOMPATIBLE: defineError<PluginParams & { range: string; sdk: string }>(
    'MXCP_E_PLUGIN_SDK_INCOMPATIBLE',
    (p) => `Plugin '${p.plugin}' requires mxcp SDK ${p.range} but this is ${p.sdk}${p.detail ? `: ${p.detail}` : ''}${need(p)}`,
  ),
  MXCP_E_PLUGIN_ENTRY_LOAD: defineError<PluginParams>(
    'MXCP_E_PLUGIN_ENTRY_LOAD',
    (p) => `Plugin '${p.plugin}' entry module failed to load: ${p.detail}${need(p)}`,
  ),
  MXCP_E_PLUGIN_CONTRACT: defineError<PluginParams & { kind: string }>(
    'MXCP_E_PLUGIN_CONTRACT',
    (p) => `Plugin '${p.plugin}' does not implement the ${p.kind} contract: ${p.detail}${need(p)}`,
  ),
  MXCP_E_PLUGIN_INIT_FAILED: defineError<PluginParams & { hook: string }>(
    'MXCP_E_PLUGIN_INIT_FAILED',
    (p) => `Plugin '${p.plugin}' failed in ${p.hook}: ${p.detail}${need(p)}`,
  ),
  MXCP_E_PLUGIN_DUPLICATE: defineError<PluginParams>(
    'MXCP_E_PLUGIN_DUPLICATE',
    (p) => `Plugin name '${p.plugin}' is taken: ${p.detail}${need(p)}`,
  ),
  MXCP_E_PLUGIN_CONFIG_INVALID: defineError<PluginParams & { where: string }>(
    'MXCP_E_PLUGIN_CONFIG_INVALID',
    (p) => `Plugin '${p.plugin}' configuration (${p.where}) is invalid: ${p.detail}${need(p)}`,
  ),
  MXCP_E_PLUGIN_TIMEOUT: defineError<PluginParams & { hook: string; ms: number }>(
    'MXCP_E_PLUGIN_TIMEOUT',
    (p) => `Plugin '${p.plugin}' ${p.hook} did not finish within ${p.ms} ms${p.detail ? ` (${p.detail})` : ''}${need(p)}`,
  ),
} as const;
