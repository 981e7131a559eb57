import { defineError } from './base.js';

/**
 * The DuckDB runtime: opening the database file, per-connection setup (extensions), running SQL.
 * Every error keeps the DuckDB error as `cause`; the message never carries a secret value.
 */
export const duckdbErrors = {
  MXCP_E_DB_MEMORY: defineError(
    'MXCP_E_DB_MEMORY',
    () => 'In-memory databases (:memory:) are not supported. Please use a file-based database.',
  ),
  MXCP_E_DB_LOCKED: defineError<{ path: string; pid?: number }>(
    'MXCP_E_DB_LOCKED',
    (p) =>
      `The DuckDB database ${p.path} is locked by another process${p.pid === undefined ? '' : ` (PID ${p.pid})`}, ` +
      'most likely a running mxcp daemon: DuckDB allows one writer process per file. ' +
      'Commands can reach a running daemon through its admin socket (start it with MXCP_ADMIN_ENABLED=1), ' +
      'or stop the daemon first.',
  ),
  MXCP_E_DB_OPEN: defineError<{ path: string; detail: string }>(
    'MXCP_E_DB_OPEN',
    (p) => `Cannot open the DuckDB database ${p.path}: ${p.detail}`,
  ),
  MXCP_E_DB_MODE_CONFLICT: defineError<{ path: string; open: string; requested: string }>(
    'MXCP_E_DB_MODE_CONFLICT',
    (p) =>
      `The DuckDB database ${p.path} is already open ${p.open} in this process and cannot also be opened ${p.requested} ` +
      '(one DuckDB instance per file per process); close the other handle first',
  ),
  MXCP_E_DB_EXTENSION: defineError<{ name: string; detail: string }>(
    'MXCP_E_DB_EXTENSION',
    (p) => `Failed to install or load DuckDB extension '${p.name}': ${p.detail}`,
  ),
  MXCP_E_DB_QUERY: defineError<{ detail: string }>('MXCP_E_DB_QUERY', (p) => `Failed to execute SQL: ${p.detail}`),
  MXCP_E_DB_READONLY: defineError<{ detail: string }>(
    'MXCP_E_DB_READONLY',
    (p) => `Failed to execute SQL: the database is open read-only (--readonly, MXCP_READONLY or duckdb.readonly): ${p.detail}`,
  ),
  MXCP_E_DB_PARAM: defineError<{ name: string; detail: string }>(
    'MXCP_E_DB_PARAM',
    (p) => `Failed to execute SQL: cannot bind parameter $${p.name}: ${p.detail}`,
  ),
  MXCP_E_DB_TIMEOUT: defineError<{ timeoutMs: number }>(
    'MXCP_E_DB_TIMEOUT',
    (p) => `Failed to execute SQL: the query ran longer than ${p.timeoutMs} ms and was interrupted (duckdb.query_timeout)`,
  ),
  MXCP_E_DB_CANCELLED: defineError('MXCP_E_DB_CANCELLED', () => 'Failed to execute SQL: the query was cancelled'),
  MXCP_E_DB_CLOSED: defineError<{ path: string }>(
    'MXCP_E_DB_CLOSED',
    (p) => `The DuckDB runtime for ${p.path} is closed or closing; retry on the current generation`,
  ),
} as const;
