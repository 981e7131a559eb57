/**
 * What `mxcp dbt-config` writes and `mxcp dbt` passes on: a dbt profile targeting the project's DuckDB file
 * (dbt-duckdb adapter), the `dbt_project.yml` built from the site config's `dbt` block, and the
 * `MXCP_SECRET_<SECRET>_<PARAM>[_<KEY>]` environment variables that carry the profile's secrets to dbt.
 * Without `--embed-secrets` the profile refers to those variables (`{{ env_var('...') }}`), so no secret
 * value is written to disk.
 */
import type { ProjectConfig } from '../config/project.js';

/** dbt profile and project names: letters, digits and underscores. */
export function dbtName(project: string): string {
  const n = project.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z_]/.test(n) ? n : `p_${n}`;
}

const envKey = (...parts: string[]) => `MXCP_SECRET_${parts.map((p) => p.replace(/[^A-Za-z0-9]/g, '_').toUpperCase()).join('_')}`;

/** `MXCP_SECRET_*` variables for every parameter of every secret of the active profile (nested maps flattened one level). */
export function secretEnv(project: ProjectConfig): Record<string, string> {
  const env: Record<string, string> = {};
  for (const secret of project.userProfile.secrets) {
    for (const [param, value] of Object.entries(secret.parameters ?? {})) {
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        for (const [key, v] of Object.entries(value)) env[envKey(secret.name, param, key)] = String(v);
      } else if (value !== undefined && value !== null) env[envKey(secret.name, param)] = String(value);
    }
  }
  return env;
}

export function profileDocument(project: ProjectConfig, embedSecrets: boolean): Record<string, unknown> {
  const extensions = project.siteConfig.extensions.map((e) => (typeof e === 'string' ? e : e.name));
  const secrets = project.userProfile.secrets
    .filter((s) => s.type !== 'custom' && s.type !== 'env')
    .map((s) => {
      const out: Record<string, unknown> = { type: s.type };
      for (const [param, value] of Object.entries(s.parameters ?? {})) {
        out[param] = embedSecrets || typeof value === 'object' ? value : `{{ env_var('${envKey(s.name, param)}') }}`;
      }
      return out;
    });
  const target = project.profile.name;
  return {
    [dbtName(project.siteConfig.project)]: {
      target,
      outputs: {
        [target]: {
          type: 'duckdb',
          path: project.profile.duckdbPath,
          threads: 4,
          ...(extensions.length ? { extensions } : {}),
          ...(secrets.length ? { secrets } : {}),
        },
      },
    },
  };
}

export function projectDocument(project: ProjectConfig): Record<string, unknown> {
  const d = project.siteConfig.dbt;
  const name = dbtName(project.siteConfig.project);
  return {
    name,
    version: '1.0.0',
    profile: name,
    'model-paths': d.model_paths,
    'analysis-paths': d.analysis_paths,
    'test-paths': d.test_paths,
    'seed-paths': d.seed_paths,
    'macro-paths': d.macro_paths,
    'snapshot-paths': d.snapshot_paths,
    'target-path': d.target_path,
    'clean-targets': d.clean_targets,
  };
}
