/**
 * The configuration copied into every worker when it starts (workers cannot call back synchronously, and
 * `config.getSecret` is synchronous). Secrets are looked up through the host for every name the configs mention,
 * so the host's rules (active profile, references resolved) decide, not a second implementation here.
 */
import type { ConfigAccess, PluginDescription } from '../../sdk/executor.js';
import type { RuntimeConfigSnapshot } from '../../sdk/runtime.js';

type Data = Record<string, unknown>;

function cloneData(value: unknown): Data {
  if (value === null || typeof value !== 'object') return {};
  try {
    return structuredClone(value) as Data;
  } catch {
    // Something uncloneable in a config object (a class instance with a function): keep the JSON view.
    return JSON.parse(JSON.stringify(value)) as Data;
  }
}

function asRecord(value: unknown): Data | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Data) : undefined;
}

/** Secret names from the site config's `secrets` list and every profile's `secrets` in the user config. */
function secretNames(site: Data, user: Data): Set<string> {
  const names = new Set<string>();
  if (Array.isArray(site.secrets)) for (const n of site.secrets) if (typeof n === 'string') names.add(n);
  for (const project of Object.values(asRecord(user.projects) ?? {})) {
    for (const profile of Object.values(asRecord(asRecord(project)?.profiles) ?? {})) {
      const list = asRecord(profile)?.secrets;
      if (!Array.isArray(list)) continue;
      for (const s of list) {
        const name = asRecord(s)?.name;
        if (typeof name === 'string') names.add(name);
      }
    }
  }
  return names;
}

export function snapshotConfig(config: ConfigAccess, plugins: readonly PluginDescription[] = []): RuntimeConfigSnapshot {
  const siteConfig = cloneData(config.siteConfig);
  const userConfig = cloneData(config.userConfig);
  const secrets: Record<string, Data> = {};
  for (const name of secretNames(siteConfig, userConfig)) {
    const parameters = config.getSecret(name);
    if (parameters !== undefined) secrets[name] = cloneData(parameters);
  }
  return { siteConfig, userConfig, secrets, plugins: plugins.map((p) => ({ ...p, functions: [...p.functions] })) };
}
