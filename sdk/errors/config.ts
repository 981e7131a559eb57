import { defineError } from './base.js';

/** Site config (`mxcp-site.yml`), user config (`~/.mxcp/config.yml`) and reference resolution. */
export const configErrors = {
  MXCP_E_SITE_NOT_FOUND: defineError<{ cwd: string }>(
    'MXCP_E_SITE_NOT_FOUND',
    (p) => `No mxcp-site.yml found in current directory or parents (searched from ${p.cwd})`,
  ),
  MXCP_E_SITE_INVALID: defineError<{ detail: string }>('MXCP_E_SITE_INVALID', (p) => `Site config validation error: ${p.detail}`),
  MXCP_E_SITE_EMPTY: defineError<void>(
    'MXCP_E_SITE_EMPTY',
    () => 'Site config validation error: mxcp-site.yml is empty (it needs at least `project` and `profile`)',
  ),
  MXCP_E_CONFIG_MIGRATION: defineError<{ value: string }>(
    'MXCP_E_CONFIG_MIGRATION',
    (p) =>
      `MIGRATION REQUIRED: Pre-production MXCP version detected (mxcp: ${p.value}). ` +
      `Change it to 'mxcp: 1' (an integer) and see the MXCP migration guide for other changes.`,
  ),
  MXCP_E_USER_CONFIG_NOT_FOUND: defineError<{ file: string; variable: string }>(
    'MXCP_E_USER_CONFIG_NOT_FOUND',
    (p) => `MXCP user config not found at ${p.file} (named by ${p.variable})`,
  ),
  MXCP_E_USER_CONFIG_INVALID: defineError<{ detail: string }>('MXCP_E_USER_CONFIG_INVALID', (p) => `Invalid user config: ${p.detail}`),
  MXCP_E_REF_UNRESOLVED: defineError<{ key: string; detail: string; more: number }>(
    'MXCP_E_REF_UNRESOLVED',
    (p) =>
      `Failed to resolve reference at '${p.key}': ${p.detail}` +
      (p.more > 0 ? ` (and ${p.more} more unresolved reference${p.more === 1 ? '' : 's'})` : ''),
  ),
  MXCP_E_REF_BACKEND_INVALID: defineError<{ name: string; detail: string }>(
    'MXCP_E_REF_BACKEND_INVALID',
    (p) => `Secret backend '${p.name}' is invalid: ${p.detail}`,
  ),
  MXCP_E_PROFILE_INVALID: defineError<{ profile: string; detail: string }>(
    'MXCP_E_PROFILE_INVALID',
    (p) => `Profile '${p.profile}' is invalid: ${p.detail}`,
  ),
  MXCP_E_ENV_INVALID: defineError<{ variable: string; value: string; expected: string }>(
    'MXCP_E_ENV_INVALID',
    (p) => `Environment variable ${p.variable}='${p.value}' is invalid: expected ${p.expected}`,
  ),
} as const;
