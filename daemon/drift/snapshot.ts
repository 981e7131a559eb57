/**
 * Drift snapshots (reference/mxcp-ops.md section 6.1): the tables and columns of the profile's DuckDB
 * database, and every endpoint file with its validation result, test results and definition, so that a
 * later `drift-check` can say what changed. The format is MXCP's: `{version: 1, generated_at, tables,
 * resources}`, keys with no value left out, two-space indentation.
 */
import { createHash } from 'node:crypto';
import { describeError as errorText } from '../../sdk/errors/index.js';
import { runEndpointTests, type SuiteResult } from '../engine/test-runner.js';
import type { Generation } from '../generation/generation.js';

export interface SnapshotColumn {
  name: string;
  type: string;
}
export interface SnapshotTable {
  name: string;
  columns: SnapshotColumn[];
}
export interface SnapshotResource {
  validation_results: { status: 'ok' | 'error'; path: string; message?: string };
  test_results?: SuiteResult;
  definition?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
}
export interface DriftSnapshot {
  version: 1;
  generated_at: string;
  tables: SnapshotTable[];
  resources: SnapshotResource[];
}

/** Tables and views of schema `main` with their columns, in name order (MXCP reads information_schema too). */
async function tables(generation: Generation): Promise<SnapshotTable[]> {
  if (!generation.database) return [];
  const { rows } = await generation.database.query(
    `SELECT t.table_name AS name, c.column_name AS col, c.data_type AS type
       FROM information_schema.tables t
       JOIN information_schema.columns c ON c.table_schema = t.table_schema AND c.table_name = t.table_name
      WHERE t.table_schema = 'main'
      ORDER BY t.table_name, c.ordinal_position`,
  );
  const byName = new Map<string, SnapshotTable>();
  for (const r of rows as { name: string; col: string; type: string }[]) {
    const t = byName.get(r.name) ?? { name: r.name, columns: [] };
    t.columns.push({ name: r.col, type: r.type });
    byName.set(r.name, t);
  }
  return [...byName.values()];
}

/** Every endpoint file: valid ones with their tests run (read-only), broken ones with their error. */
async function resources(generation: Generation): Promise<SnapshotResource[]> {
  const compiled = new Map(
    [...generation.tools.values(), ...generation.resources.values(), ...generation.prompts.values()].map((c) => [c.entry.absPath, c]),
  );
  const failed = new Map(generation.failed.map((f) => [f.absPath, f]));
  const out: SnapshotResource[] = [];
  for (const entry of generation.registry.entries) {
    const definition = entry.file?.data as Record<string, unknown> | undefined;
    const metadata = entry.endpoint ? (entry.endpoint.def as { metadata?: Record<string, unknown> }).metadata : undefined;
    const problem = failed.get(entry.absPath)?.error ?? entry.error;
    const c = compiled.get(entry.absPath);
    const resource: SnapshotResource =
      problem || !c
        ? { validation_results: { status: 'error', path: entry.relPath, message: problem ? errorText(problem) : 'not served' } }
        : { validation_results: { status: 'ok', path: entry.relPath }, test_results: await runEndpointTests(c, {}) };
    if (definition && typeof definition === 'object') resource.definition = definition;
    if (metadata) resource.metadata = metadata;
    out.push(resource);
  }
  return out.sort((a, b) => a.validation_results.path.localeCompare(b.validation_results.path));
}

export async function takeSnapshot(generation: Generation): Promise<DriftSnapshot> {
  return { version: 1, generated_at: new Date().toISOString(), tables: await tables(generation), resources: await resources(generation) };
}

/** MXCP's `drift_hash`: sha256 of the snapshot as JSON with sorted keys. */
export function driftHash(snapshot: DriftSnapshot): string {
  return createHash('sha256').update(sortedJson(snapshot)).digest('hex');
}

export function sortedJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
