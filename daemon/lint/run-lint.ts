/**
 * Runs the lint rules over every endpoint that loads (files that do not load are `validate`'s business,
 * reported here as one error each so nothing is silently skipped), locates each finding in its YAML file,
 * and orders them by file and line.
 */
import { existsSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { describeError } from '../../sdk/errors/index.js';
import type { ProjectConfig } from '../config/project.js';
import { type KeyPath, locate } from '../config/yaml-file.js';
import type { Logger } from '../logging/logger.js';
import type { Registry, ValidEndpoint } from '../registry/registry.js';
import { kRules, type Severity } from './rules.js';

export interface LintResult {
  readonly rule: string;
  readonly id: string;
  readonly severity: Severity;
  /** Relative to the project root. */
  readonly path: string;
  readonly line?: number;
  /** Key path in the file, MXCP style: `tool.parameters[0]`. */
  readonly location: string;
  readonly message: string;
  readonly suggestion: string;
}

export function keyPathText(path: KeyPath): string {
  return path.reduce<string>((s, seg) => (typeof seg === 'number' ? `${s}[${seg}]` : s ? `${s}.${seg}` : seg), '');
}

/**
 * Approximate row counts of the database's tables, read-only. `undefined` when the file does not exist or
 * cannot be opened (a running daemon holds it): the size-based rule is then skipped, with a note.
 */
export async function tableRowCounts(project: ProjectConfig, log: Logger): Promise<Map<string, number> | undefined> {
  const path = project.profile.duckdbPath;
  if (!existsSync(path)) return undefined;
  try {
    const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
    try {
      const conn = await instance.connect();
      const reader = await conn.runAndReadAll("SELECT table_name, estimated_size FROM duckdb_tables() WHERE schema_name = 'main'");
      conn.closeSync();
      return new Map(reader.getRowObjects().map((r) => [String(r.table_name).toLowerCase(), Number(r.estimated_size)]));
    } finally {
      instance.closeSync();
    }
  } catch (err) {
    log.warn({ path, err: (err as Error).message }, 'lint: the database could not be read; the unbounded-query rule is skipped');
    return undefined;
  }
}

export function lintRegistry(registry: Registry, tableRows: ReadonlyMap<string, number> | undefined): LintResult[] {
  const results: LintResult[] = [];
  for (const entry of registry.entries) {
    if (entry.error || !entry.endpoint || !entry.file) {
      results.push({
        rule: 'endpoint-invalid',
        id: 'MXL000',
        severity: 'error',
        path: entry.relPath,
        ...(entry.error?.location?.line !== undefined ? { line: entry.error.location.line } : {}),
        location: '',
        message: entry.error ? describeError(entry.error) : 'the file does not define a valid endpoint',
        suggestion: 'Run mxcp validate for the details and fix the file first',
      });
      continue;
    }
    const valid = entry as ValidEndpoint;
    for (const rule of kRules) {
      for (const f of rule.check(valid.endpoint, { entry: valid, ...(tableRows ? { tableRows } : {}) })) {
        const line = locate(valid.file, f.at).line;
        results.push({
          rule: rule.rule,
          id: rule.id,
          severity: rule.severity,
          path: entry.relPath,
          ...(line !== undefined ? { line } : {}),
          location: keyPathText(f.at),
          message: f.message,
          suggestion: f.suggestion,
        });
      }
    }
  }
  return results.sort((a, b) => a.path.localeCompare(b.path) || (a.line ?? 0) - (b.line ?? 0) || a.id.localeCompare(b.id));
}
