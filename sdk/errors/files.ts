import { defineError } from './base.js';

/** Reading project files: size, encoding, YAML syntax. */
export const fileErrors = {
  MXCP_E_FILE_NOT_FOUND: defineError<{ file: string; what: string }>('MXCP_E_FILE_NOT_FOUND', (p) => `${p.what} not found: ${p.file}`),
  MXCP_E_FILE_UNREADABLE: defineError<{ file: string; reason: string }>(
    'MXCP_E_FILE_UNREADABLE',
    (p) => `Cannot read ${p.file}: ${p.reason}`,
  ),
  MXCP_E_FILE_TOO_LARGE: defineError<{ file: string; size: number; limit: number }>(
    'MXCP_E_FILE_TOO_LARGE',
    (p) => `File is too large (${p.size} bytes; the limit is ${p.limit} bytes)`,
  ),
  MXCP_E_FILE_BINARY: defineError<{ file: string }>('MXCP_E_FILE_BINARY', () => 'File is binary (contains NUL bytes), expected YAML text'),
  MXCP_E_FILE_ENCODING: defineError<{ file: string }>(
    'MXCP_E_FILE_ENCODING',
    () => 'File is not valid UTF-8 (or UTF-16 with a byte order mark)',
  ),
  MXCP_E_YAML_SYNTAX: defineError<{ detail: string }>('MXCP_E_YAML_SYNTAX', (p) => `YAML syntax error: ${p.detail}`),
  MXCP_E_YAML_TOO_DEEP: defineError<{ limit: number }>(
    'MXCP_E_YAML_TOO_DEEP',
    (p) => `YAML nesting is deeper than ${p.limit} levels; refusing to load the file`,
  ),
  MXCP_E_YAML_NOT_MAPPING: defineError<{ what: string; got: string }>(
    'MXCP_E_YAML_NOT_MAPPING',
    (p) => `${p.what} must be a mapping at the top level, got ${p.got}`,
  ),
} as const;
