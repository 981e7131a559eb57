/**
 * Loads the user config: `MXCP_CONFIG_PATH` (the operational guide's name) > `MXCP_CONFIG` (MXCP's) >
 * `~/.mxcp/config.yml`. A missing default file means built-in defaults; a file named by a variable must
 * exist. References are resolved for the top-level keys and the active project/profile only, so an unset
 * variable in another profile does not break this one.
 */
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { Errors } from '../../sdk/errors/index.js';
import type { SecretBackend } from '../../sdk/secret-backend.js';
import { referenceError, schemaError } from './config-errors.js';
import type { Env } from './env.js';
import { deepFreeze } from './freeze.js';
import { type ResolvedValue, resolveReferences, withoutUnresolvedReferences } from './references.js';
import { validateSchema } from './schema-validator.js';
import { isPlainObject } from './site-config.js';
import type { UserConfig } from './types.js';
import { type KeyPath, locate, parseYaml, readYamlFile, type YamlFile } from './yaml-file.js';

export interface LoadUserOptions {
  readonly env: Env;
  readonly cwd: string;
  readonly project: string;
  readonly profile: string;
  readonly backends: readonly SecretBackend[];
  /** Home directory override (tests). */
  readonly home?: string;
}

export interface LoadedUser {
  /** Absolute path of the file read, or `undefined` when built-in defaults were used. */
  readonly path: string | undefined;
  readonly file: YamlFile | undefined;
  readonly config: Readonly<UserConfig>;
  readonly resolved: readonly ResolvedValue[];
}

export function userConfigPath(env: Env, home = homedir(), cwd = process.cwd()): { path: string; variable?: string } {
  for (const variable of ['MXCP_CONFIG_PATH', 'MXCP_CONFIG']) {
    const v = env[variable];
    if (v) return { path: isAbsolute(v) ? v : resolve(cwd, v), variable };
  }
  return { path: join(home, '.mxcp', 'config.yml') };
}

export async function loadUserConfig(options: LoadUserOptions): Promise<LoadedUser> {
  const { path, variable } = userConfigPath(options.env, options.home, options.cwd);
  let file: YamlFile | undefined;
  try {
    file = await readYamlFile(path, path);
  } catch (err) {
    const missing = (err as { code?: string }).code === Errors.MXCP_E_FILE_NOT_FOUND.code;
    if (!missing) throw err;
    if (variable) throw new Errors.MXCP_E_USER_CONFIG_NOT_FOUND({ file: path, variable }, { cause: err, location: { file: path } });
  }
  // A missing default file behaves exactly like an empty one.
  const effective = file ?? parseYaml('', path, path);
  const raw = effective.data ?? {};
  if (!isPlainObject(raw)) {
    throw new Errors.MXCP_E_YAML_NOT_MAPPING(
      { what: 'MXCP user config', got: Array.isArray(raw) ? 'a list' : typeof raw },
      { location: locate(effective, []) },
    );
  }
  if (typeof raw.mxcp === 'string') {
    throw new Errors.MXCP_E_CONFIG_MIGRATION({ value: JSON.stringify(raw.mxcp) }, { location: locate(effective, ['mxcp']) });
  }

  const { project, profile } = options;
  const select = (p: KeyPath) => p[0] !== 'projects' || (p[1] === project && p[2] === 'profiles' && p[3] === profile);
  const outcome = await resolveReferences(structuredClone(raw), {
    backends: options.backends,
    select,
    context: { cwd: options.cwd, env: options.env, userConfig: raw },
  });
  if (outcome.failures.length > 0) throw referenceError(effective, outcome.failures);

  const data = outcome.data;
  ensureProfile(data, project, profile);
  const result = validateSchema('user', data);
  if (!result.valid) {
    const issues = withoutUnresolvedReferences(result.issues, data, select, options.backends);
    if (issues.length > 0) throw schemaError(Errors.MXCP_E_USER_CONFIG_INVALID, effective, issues);
  }
  return {
    path: file ? path : undefined,
    file,
    config: deepFreeze(data as unknown as UserConfig),
    resolved: deepFreeze([...outcome.resolved]),
  };
}

/** `projects.<project>.profiles.<profile>` exists after loading, created empty when absent. */
function ensureProfile(data: Record<string, unknown>, project: string, profile: string): void {
  if (data.projects == null) data.projects = {};
  if (!isPlainObject(data.projects)) return; // the schema reports it
  const projects = data.projects;
  if (projects[project] == null) projects[project] = {};
  const proj = projects[project];
  if (!isPlainObject(proj)) return;
  if (proj.profiles == null) proj.profiles = {};
  if (!isPlainObject(proj.profiles)) return;
  if (proj.profiles[profile] == null) proj.profiles[profile] = {};
}

/** The active profile block of the user config (always present after {@link loadUserConfig}). */
export function userProfile(config: UserConfig, project: string, profile: string) {
  const p = config.projects[project]?.profiles[profile];
  if (!p) throw new Errors.MXCP_E_PROFILE_INVALID({ profile, detail: `missing from project '${project}' in the user config` });
  return p;
}
