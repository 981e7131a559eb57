import { defineError } from './base.js';

/** Quality gates: drift snapshots and checks, lint. */
export const qualityErrors = {
  MXCP_E_DRIFT_SNAPSHOT_EXISTS: defineError<{ path: string }>(
    'MXCP_E_DRIFT_SNAPSHOT_EXISTS',
    (p) => `Drift snapshot already exists at ${p.path}. Use --force to overwrite.`,
  ),
  MXCP_E_DRIFT_BASELINE_INVALID: defineError<{ path: string; detail: string }>(
    'MXCP_E_DRIFT_BASELINE_INVALID',
    (p) => `Failed to load baseline snapshot: ${p.path}: ${p.detail}`,
  ),
};
