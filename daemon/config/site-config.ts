/**
 * Loads `mxcp-site.yml`: parse (positions kept) → legacy-version check → normalisation of MXCP's lenient
 * forms → reference resolution (top-level keys and the active profile only) → schema validation with
 * defaults → derived paths of the active profile → deep freeze.
 */
import { isAbsolute, join, resolve } from 'node:path';
import { Errors } from '../../sdk/errors/index.js';
import type { SecretBackend } from '../../sdk/secret-backend.js';
import { referenceError, schemaError } from './config-errors.js';
import { type Env, envFlag } from './env.js';
import { deepFreeze } from './freeze.js';
import { kSiteFileName } from './project-root.js';
import { coerceResolvedValues, type ResolvedValue, resolveReferences, withoutUnresolvedReferences } from './references.js';
import { validateSchema } from './schema-validator.js';
import type { SiteConfig, SiteProfile } from './types.js';
import { type KeyPath, locate, readYamlFile, type YamlFile } from './yaml-file.js';

export interface LoadSiteOptions {
  readonly root: string;
  /** `--profile`; falls back to `MXCP_PROFILE`, then the site's `profile`. */
  readonly profile?: string;
  readonly env: Env;
  readonly cwd: string;
  readonly backends: readonly SecretBackend[];
}

/** The active profile with every path made absolute and environment overrides applied. */
export interface ActiveProfile {
  readonly name: string;
  readonly duckdbPath: string;
  readonly duckdbReadonly: boolean;
  readonly queryTimeout: SiteProfile['duckdb']['query_timeout'];
  readonly driftPath: string;
  readonly audit: SiteProfile['audit'] & { readonly path: string };
  readonly auth: SiteProfile['auth'];
}

export interface LoadedSite {
  readonly root: string;
  readonly file: YamlFile;
  readonly config: Readonly<SiteConfig>;
  readonly profile: ActiveProfile;
  readonly resolved: readonly ResolvedValue[];
}

export async function loadSiteConfig(options: LoadSiteOptions): Promise<LoadedSite> {
  const file = await readYamlFile(join(options.root, kSiteFileName), kSiteFileName);
  if (file.data === undefined) throw new Errors.MXCP_E_SITE_EMPTY(undefined, { location: { file: kSiteFileName, line: 1, column: 1 } });
  if (!isPlainObject(file.data)) {
    throw new Errors.MXCP_E_YAML_NOT_MAPPING({ what: kSiteFileName, got: typeName(file.data) }, { location: locate(file, []) });
  }
  const raw = file.data;
  if (typeof raw.mxcp === 'string') {
    throw new Errors.MXCP_E_CONFIG_MIGRATION({ value: JSON.stringify(raw.mxcp) }, { location: locate(file, ['mxcp']) });
  }
  const data = normalize(raw);

  // Top-level keys first: the site `profile` may itself be a reference.
  const context = { cwd: options.cwd, env: options.env, userConfig: {} };
  const top = await resolveReferences(data, { backends: options.backends, select: (p) => p[0] !== 'profiles', context });
  if (top.failures.length > 0) throw referenceError(file, top.failures);
  const profileName = options.profile || options.env.MXCP_PROFILE || (typeof top.data.profile === 'string' ? top.data.profile : '');
  const isActive = (p: KeyPath) => p[0] === 'profiles' && p[1] === profileName;
  const active = await resolveReferences(top.data, { backends: options.backends, select: isActive, context });
  if (active.failures.length > 0) throw referenceError(file, active.failures);

  const config = active.data;
  // The active profile always exists after loading (MXCP materialises the default profile even when absent).
  if (config.profiles === undefined) config.profiles = {};
  if (profileName && isPlainObject(config.profiles) && config.profiles[profileName] == null) config.profiles[profileName] = {};
  const resolvedValues = [...top.resolved, ...active.resolved];
  let result = validateSchema('site', config);
  if (!result.valid && coerceResolvedValues(config, result.issues, resolvedValues)) result = validateSchema('site', config);
  if (!result.valid) {
    const resolved = (p: KeyPath) => p[0] !== 'profiles' || isActive(p);
    const issues = withoutUnresolvedReferences(result.issues, config, resolved, options.backends);
    if (issues.length > 0) throw schemaError(Errors.MXCP_E_SITE_INVALID, file, issues);
  }

  const site = config as unknown as SiteConfig;
  const profile = activeProfile(site, profileName, options.root, options.env);
  // The YAML document stays mutable (the yaml library caches inside it); everything handed out is frozen.
  return {
    root: options.root,
    file,
    config: deepFreeze(site),
    profile: deepFreeze(profile),
    resolved: deepFreeze(resolvedValues),
  };
}

/** MXCP accepts a scalar where a list is expected and `null` for empty sections; fold those forms in. */
function normalize(raw: Record<string, unknown>): Record<string, unknown> {
  const data: Record<string, unknown> = structuredClone(raw);
  if (data.secrets === null) data.secrets = [];
  else if (typeof data.secrets === 'string') data.secrets = [data.secrets];
  if (data.plugin === null) data.plugin = [];
  else if (isPlainObject(data.plugin)) data.plugin = [data.plugin];
  if (data.extensions === null) data.extensions = [];
  for (const key of ['dbt', 'sql_tools', 'paths', 'profiles']) if (data[key] === null) data[key] = {};
  if (isPlainObject(data.dbt)) {
    const dbt = data.dbt;
    for (const key of ['model_paths', 'analysis_paths', 'test_paths', 'seed_paths', 'macro_paths', 'snapshot_paths', 'clean_targets']) {
      if (dbt[key] === null) dbt[key] = [];
      else if (typeof dbt[key] === 'string' || typeof dbt[key] === 'number') dbt[key] = [String(dbt[key])];
    }
  }
  if (isPlainObject(data.profiles)) {
    for (const [name, profile] of Object.entries(data.profiles)) {
      if (profile === null) data.profiles[name] = {};
      else if (isPlainObject(profile)) for (const key of ['duckdb', 'drift', 'audit', 'auth']) if (profile[key] === null) profile[key] = {};
    }
  }
  return data;
}

/**
 * Paths default per active profile (not only the site default, fixing MXCP's quirk) and are resolved
 * against the project root. `MXCP_DUCKDB_PATH`, `MXCP_AUDIT_ENABLED` and `MXCP_READONLY` apply to whichever
 * profile is active.
 */
function activeProfile(site: SiteConfig, name: string, root: string, env: Env): ActiveProfile {
  const p = site.profiles[name] as SiteProfile;
  const abs = (path: string) => (isAbsolute(path) ? path : resolve(root, path));
  const duckdbPath = env.MXCP_DUCKDB_PATH ? abs(env.MXCP_DUCKDB_PATH) : abs(p.duckdb.path ?? join(site.paths.data, `db-${name}.duckdb`));
  const auditEnabled = envFlag(env, 'MXCP_AUDIT_ENABLED') ?? p.audit.enabled;
  return {
    name,
    duckdbPath,
    duckdbReadonly: envFlag(env, 'MXCP_READONLY') ?? p.duckdb.readonly,
    queryTimeout: p.duckdb.query_timeout,
    driftPath: abs(p.drift.path ?? join(site.paths.drift, `drift-${name}.json`)),
    audit: { ...p.audit, enabled: auditEnabled, path: abs(p.audit.path ?? join(site.paths.audit, `logs-${name}.jsonl`)) },
    auth: p.auth,
  };
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function typeName(v: unknown): string {
  return Array.isArray(v) ? 'a list' : v === null ? 'null' : typeof v;
}
