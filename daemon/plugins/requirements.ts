/**
 * Which plugins a configuration cannot do without (fail closed, STYLE 9). Decided from manifests alone,
 * so a plugin whose code does not even load is still known to be required:
 *
 * - a package listed in the user config's `plugins.packages`: always (the configuration names it);
 * - security kinds (auth-provider, audit-sink, token-store): always;
 * - a secret backend: when a reference scheme it provides appears in the site or user config;
 * - an executor: when an endpoint is written in a language it provides;
 * - a udf plugin: when a `plugin:` entry of mxcp-site.yml names it.
 *
 * Everything else is optional: reported, logged and skipped.
 */
import { basename } from 'node:path';
import { kSecurityKinds } from '../../sdk/plugin-kinds.js';
import { kindOf, type PluginRecord } from './types.js';

export interface Needs {
  /** Reference schemes in use: `env` for `${VAR}`, else the `<scheme>://` prefix of whole-value references. */
  readonly schemes?: ReadonlySet<string>;
  /** Endpoint languages in use. */
  readonly languages?: ReadonlySet<string>;
  /** `module` values of the site's `plugin:` entries. */
  readonly udfModules?: ReadonlySet<string>;
}

export function requiredReason(record: PluginRecord, needs: Needs): string | undefined {
  const kind = kindOf(record);
  const provides = record.manifest?.mxcp.provides ?? [];
  if (record.source === 'package') return `listed in plugins.packages`;
  if (kind && kSecurityKinds.includes(kind)) return `${kind} plugins fail closed`;
  if (kind === 'secret-backend') {
    const used = provides.find((s) => needs.schemes?.has(s));
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal ${VAR} syntax is what the message names
    if (used) return used === 'env' ? 'the configuration uses ${VAR} references' : `the configuration uses ${used}:// references`;
  }
  if (kind === 'executor') {
    const used = provides.find((l) => needs.languages?.has(l));
    if (used) return `endpoints are written in ${used}`;
  }
  if (kind === 'udf' || kind === undefined) {
    const module = [...(needs.udfModules ?? [])].find((m) => matchesModule(record, m));
    if (module) return `mxcp-site.yml plugin: names module '${module}'`;
  }
  return undefined;
}

/** A `plugin:` entry's `module` names a plugin by package name or, as in MXCP projects, by folder name. */
export function matchesModule(record: PluginRecord, module: string): boolean {
  return record.name === module || basename(record.dir) === module;
}

/** Schemes of every reference in a set of config strings. */
export function schemesIn(strings: Iterable<string>): Set<string> {
  const schemes = new Set<string>();
  for (const s of strings) {
    if (/\$\{[A-Za-z0-9_]+\}/.test(s)) schemes.add('env');
    const m = /^([a-z][a-z0-9+.-]*):\/\//.exec(s);
    if (m?.[1]) schemes.add(m[1]);
  }
  return schemes;
}
