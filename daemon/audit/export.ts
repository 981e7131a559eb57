/**
 * `mxcp log --export-duckdb F` / `--export-csv F`. Matching records are staged as normalised JSON Lines
 * in a temporary file, then DuckDB reads them with fixed, typed columns:
 *
 *   DuckDB: table `logs` (replaced on each export: an export is a snapshot of the log), `timestamp`
 *           TIMESTAMP (UTC), `duration_ms` DOUBLE, `input`/`output` JSON, so the operational guide's
 *           queries (`DATE_TRUNC('hour', timestamp)`, `AVG(duration_ms)`, ...) run unchanged.
 *   CSV:    the same columns with a header row; `timestamp` stays ISO 8601 text, JSON columns as JSON text.
 *
 * Both are newest first and ignore `--limit` (an export is for analysis: every match). Staging through a
 * file keeps memory flat whatever the size of the log, and lets DuckDB do the sort.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { finished } from 'node:stream/promises';
import { DuckDBInstance } from '@duckdb/node-api';
import { auditErrors } from '../../sdk/errors/audit.js';
import type { StoredRecord } from './parse-record.js';

/** Column name → DuckDB type, in record order. */
const kColumns: readonly (readonly [string, string])[] = [
  ['schema_version', 'INTEGER'],
  ['id', 'VARCHAR'],
  ['timestamp', 'TIMESTAMP'],
  ['caller', 'VARCHAR'],
  ['type', 'VARCHAR'],
  ['name', 'VARCHAR'],
  ['status', 'VARCHAR'],
  ['error', 'VARCHAR'],
  ['duration_ms', 'DOUBLE'],
  ['policy_decision', 'VARCHAR'],
  ['reason', 'VARCHAR'],
  ['user_id', 'VARCHAR'],
  ['username', 'VARCHAR'],
  ['session_id', 'VARCHAR'],
  ['trace_id', 'VARCHAR'],
  ['request_id', 'VARCHAR'],
  ['input', 'JSON'],
  ['output', 'JSON'],
  ['generation', 'INTEGER'],
];

export type ExportFormat = 'duckdb' | 'csv';

/** Writes every record to `path`; returns how many. */
export async function exportRecords(records: AsyncIterable<StoredRecord>, format: ExportFormat, path: string): Promise<number> {
  const staging = await mkdtemp(join(tmpdir(), 'mxcp-audit-export-'));
  try {
    const staged = join(staging, 'records.jsonl');
    const count = await stage(records, staged);
    await mkdir(dirname(path), { recursive: true });
    if (format === 'duckdb') await toDuckDb(staged, path);
    else await toCsv(staged, path);
    return count;
  } catch (err) {
    if ((err as { code?: string }).code?.startsWith('MXCP_E_')) throw err;
    throw new auditErrors.MXCP_E_AUDIT_EXPORT_FAILED({ path, detail: (err as Error).message }, { cause: err });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** One normalised line per record: exactly the known columns, absent ones null (older or foreign lines). */
async function stage(records: AsyncIterable<StoredRecord>, file: string): Promise<number> {
  const out = createWriteStream(file);
  let count = 0;
  for await (const r of records) {
    const row: Record<string, unknown> = {};
    for (const [name] of kColumns) row[name] = r[name] ?? null;
    if (!out.write(`${JSON.stringify(row)}\n`)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    count++;
  }
  out.end();
  await finished(out);
  return count;
}

function readJson(file: string, timestampType: string): string {
  const columns = kColumns.map(([name, type]) => `"${name}": '${name === 'timestamp' ? timestampType : type}'`).join(', ');
  return `read_json(${sqlString(file)}, format = 'newline_delimited', columns = {${columns}})`;
}

async function toDuckDb(staged: string, path: string): Promise<void> {
  const instance = await DuckDBInstance.create(path);
  try {
    const connection = await instance.connect();
    try {
      const definition = kColumns.map(([name, type]) => `"${name}" ${type}`).join(', ');
      await connection.run('BEGIN TRANSACTION');
      await connection.run(`CREATE OR REPLACE TABLE logs (${definition})`);
      await connection.run(`INSERT INTO logs SELECT * FROM ${readJson(staged, 'TIMESTAMP')} ORDER BY "timestamp" DESC`);
      await connection.run('COMMIT');
    } finally {
      connection.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}

async function toCsv(staged: string, path: string): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:');
  try {
    const connection = await instance.connect();
    try {
      // ISO text sorts like the instant it names (same format, UTC): ORDER BY works on the string.
      await connection.run(
        `COPY (SELECT * FROM ${readJson(staged, 'VARCHAR')} ORDER BY "timestamp" DESC) TO ${sqlString(path)} (HEADER, DELIMITER ',')`,
      );
    } finally {
      connection.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}

function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
