import { defineError } from './base.js';

/** Quality gates: drift snapshots and checks, lint; the dbt integration. */
export const qualityErrors = {
  MXCP_E_DRIFT_SNAPSHOT_EXISTS: defineError<{ path: string }>(
    'MXCP_E_DRIFT_SNAPSHOT_EXISTS',
    (p) => `Drift snapshot already exists at ${p.path}. Use --force to overwrite.`,
  ),
  MXCP_E_DRIFT_BASELINE_INVALID: defineError<{ path: string; detail: string }>(
    'MXCP_E_DRIFT_BASELINE_INVALID',
    (p) => `Failed to load baseline snapshot: ${p.path}: ${p.detail}`,
  ),
  MXCP_E_DBT_DISABLED: defineError<{ project: string }>(
    'MXCP_E_DBT_DISABLED',
    (p) => `dbt integration is disabled for project '${p.project}': set dbt.enabled: true in mxcp-site.yml`,
  ),
  MXCP_E_DBT_NOT_FOUND: defineError<{ path: string }>(
    'MXCP_E_DBT_NOT_FOUND',
    (p) => `dbt executable not found on PATH (${p.path}): install dbt-core and dbt-duckdb (pip install dbt-duckdb)`,
  ),
  MXCP_E_DBT_EMBED_NEEDS_FORCE: defineError(
    'MXCP_E_DBT_EMBED_NEEDS_FORCE',
    () => '--embed-secrets writes secret values into profiles.yml and requires --force',
    { exitCode: 2 },
  ),
};
