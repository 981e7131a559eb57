import { defineError } from './base.js';

/** Command-line usage and project scaffolding. Usage errors exit 2, like click's. */
export const cliErrors = {
  MXCP_E_CLI_USAGE: defineError<{ detail: string }>('MXCP_E_CLI_USAGE', (p) => p.detail, { exitCode: 2 }),
  MXCP_E_INIT_NESTED: defineError<{ root: string }>(
    'MXCP_E_INIT_NESTED',
    (p) => `Cannot create a MXCP repository inside another one (found ${p.root}/mxcp-site.yml)`,
  ),
  MXCP_E_INIT_EXISTS: defineError<{ file: string }>(
    'MXCP_E_INIT_EXISTS',
    (p) => `${p.file} already exists; refusing to overwrite an existing project`,
  ),
  MXCP_E_INIT_FAILED: defineError<{ path: string; reason: string }>('MXCP_E_INIT_FAILED', (p) => `Cannot create ${p.path}: ${p.reason}`),
  MXCP_E_INTERNAL_ERROR: defineError<{ detail: string }>('MXCP_E_INTERNAL_ERROR', (p) => `Internal error: ${p.detail}`),
} as const;
