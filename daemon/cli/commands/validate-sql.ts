/**
 * The checks of `mxcp validate` that read the SQL itself (reference section 11): the `$names` of the first
 * statement must equal the declared parameters, and DuckDB must be able to `PREPARE` the text (parse and
 * bind: referenced tables and columns exist). The database is opened read-only and never created; when a
 * running daemon holds the file (DESIGN section 8) or it does not exist yet, the PREPARE step is skipped
 * with a warning and the parameter check still runs on the SQL text.
 */
import { existsSync } from 'node:fs';
import { Errors, isMxcpError, type MxcpError } from '../../../sdk/errors/index.js';
import { durationMs } from '../../config/env.js';
import type { ProjectConfig } from '../../config/project.js';
import { DuckDBRuntime } from '../../duckdb/runtime.js';
import { scanSql } from '../../duckdb/sql-text.js';
import type { Logger } from '../../logging/logger.js';
import type { ValidEndpoint } from '../../registry/registry.js';

export interface SqlCheckContext {
  readonly project: ProjectConfig;
  readonly endpoints: readonly ValidEndpoint[];
  readonly log: Logger;
}

/** Problems by endpoint file (absolute path). */
export async function sqlChecks(ctx: SqlCheckContext): Promise<ReadonlyMap<string, MxcpError>> {
  const problems = new Map<string, MxcpError>();
  const sql = ctx.endpoints.filter((e) => e.source?.language === 'sql' && e.source.code && e.endpoint.kind !== 'prompt');
  if (sql.length === 0) return problems;
  const runtime = await openForChecks(ctx);
  try {
    for (const e of sql) {
      const code = e.source?.code ?? '';
      const where = { location: { file: e.relPath, path: `${e.endpoint.kind}.source` } };
      if (runtime) {
        const check = await runtime.prepareCheck(code);
        if (!check.ok) {
          problems.set(e.absPath, new Errors.MXCP_E_ENDPOINT_SQL_INVALID({ detail: check.error }, where));
          continue;
        }
      }
      const used = new Set(runtime ? await runtime.namedParameters(code) : scanSql(code).firstStatementParameters);
      const declared = new Set((e.endpoint.def.parameters ?? []).map((p) => p.name));
      const missing = [...used].filter((n) => !declared.has(n));
      const extra = [...declared].filter((n) => !used.has(n));
      if (missing.length > 0 || extra.length > 0) {
        problems.set(e.absPath, new Errors.MXCP_E_ENDPOINT_PARAM_MISMATCH({ missing: pySet(missing), extra: pySet(extra) }, where));
      }
    }
  } finally {
    await runtime?.close();
  }
  return problems;
}

async function openForChecks(ctx: SqlCheckContext): Promise<DuckDBRuntime | undefined> {
  const { profile, siteConfig } = ctx.project;
  if (!existsSync(profile.duckdbPath)) {
    ctx.log.warn({ path: profile.duckdbPath }, 'database file does not exist yet; SQL PREPARE checks skipped');
    return undefined;
  }
  try {
    return await DuckDBRuntime.open({
      path: profile.duckdbPath,
      readonly: true,
      extensions: siteConfig.extensions,
      secrets: ctx.project.userProfile.secrets,
      queryTimeoutMs: durationMs(profile.queryTimeout),
      poolSize: 1,
      logger: ctx.log,
    });
  } catch (err) {
    if (isMxcpError(err) && err.code === Errors.MXCP_E_DB_LOCKED.code) {
      ctx.log.warn({ path: profile.duckdbPath }, `${err.message}; SQL PREPARE checks skipped`);
      return undefined;
    }
    throw err;
  }
}

/** Python's set repr, sorted so the message is stable: `{'a', 'b'}` or `set()`. */
function pySet(names: readonly string[]): string {
  return names.length === 0
    ? 'set()'
    : `{${[...names]
        .sort()
        .map((n) => `'${n}'`)
        .join(', ')}}`;
}
