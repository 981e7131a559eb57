/**
 * `drift-check`'s comparison (reference/mxcp-ops.md section 6.3): tables by name (added, removed, columns
 * added/removed/retyped) and endpoint files keyed by path (added, removed, or modified when their validation,
 * test outcomes or definition differ). Test timings never count as drift.
 */
import { isDeepStrictEqual } from 'node:util';
import type { DriftSnapshot, SnapshotResource, SnapshotTable } from './snapshot.js';

export interface TableChange {
  name: string;
  change_type: 'added' | 'removed' | 'modified';
  columns_added?: { name: string; type: string }[];
  columns_removed?: { name: string; type: string }[];
  columns_modified?: { name: string; old_type: string; new_type: string }[];
}

export interface ResourceChange {
  path: string;
  endpoint?: string;
  change_type: 'added' | 'removed' | 'modified';
  details: Record<string, unknown>;
}

export interface DriftReport {
  version: 1;
  generated_at: string;
  baseline_snapshot_path: string;
  current_snapshot_generated_at: string;
  baseline_snapshot_generated_at: string;
  has_drift: boolean;
  summary: {
    tables_added: number;
    tables_removed: number;
    tables_modified: number;
    resources_added: number;
    resources_removed: number;
    resources_modified: number;
  };
  table_changes: TableChange[];
  resource_changes: ResourceChange[];
}

function compareTables(base: readonly SnapshotTable[], current: readonly SnapshotTable[]): TableChange[] {
  const before = new Map(base.map((t) => [t.name, t]));
  const after = new Map(current.map((t) => [t.name, t]));
  const changes: TableChange[] = [];
  for (const [name, t] of after) {
    const old = before.get(name);
    if (!old) {
      changes.push({ name, change_type: 'added', columns_added: t.columns });
      continue;
    }
    const oldCols = new Map(old.columns.map((c) => [c.name, c.type]));
    const newCols = new Map(t.columns.map((c) => [c.name, c.type]));
    const added = t.columns.filter((c) => !oldCols.has(c.name));
    const removed = old.columns.filter((c) => !newCols.has(c.name));
    const modified = t.columns
      .filter((c) => oldCols.has(c.name) && oldCols.get(c.name) !== c.type)
      .map((c) => ({ name: c.name, old_type: oldCols.get(c.name) as string, new_type: c.type }));
    if (added.length + removed.length + modified.length > 0) {
      changes.push({
        name,
        change_type: 'modified',
        ...(added.length ? { columns_added: added } : {}),
        ...(removed.length ? { columns_removed: removed } : {}),
        ...(modified.length ? { columns_modified: modified } : {}),
      });
    }
  }
  for (const [name, t] of before) if (!after.has(name)) changes.push({ name, change_type: 'removed', columns_removed: t.columns });
  return changes;
}

/** `tool/<name>`, `resource/<uri>`, `prompt/<name>` from a definition. */
function endpointOf(r: SnapshotResource): string | undefined {
  const d = r.definition as { tool?: { name?: string }; resource?: { uri?: string }; prompt?: { name?: string } } | undefined;
  if (d?.tool?.name) return `tool/${d.tool.name}`;
  if (d?.resource?.uri) return `resource/${d.resource.uri}`;
  if (d?.prompt?.name) return `prompt/${d.prompt.name}`;
  return undefined;
}

/** What a test run says, without its timings. */
function testOutcome(r: SnapshotResource) {
  const t = r.test_results;
  return t ? { status: t.status, tests_run: t.tests_run, count: t.tests.length, tests: t.tests.map((c) => [c.name, c.status]) } : undefined;
}

function compareResources(base: readonly SnapshotResource[], current: readonly SnapshotResource[]): ResourceChange[] {
  const key = (r: SnapshotResource) => r.validation_results.path;
  const before = new Map(base.map((r) => [key(r), r]));
  const after = new Map(current.map((r) => [key(r), r]));
  const changes: ResourceChange[] = [];
  const withEndpoint = (r: SnapshotResource) => {
    const e = endpointOf(r);
    return e ? { endpoint: e } : {};
  };
  for (const [path, r] of after) {
    const old = before.get(path);
    if (!old) {
      changes.push({ path, ...withEndpoint(r), change_type: 'added', details: { added_resource: true } });
      continue;
    }
    const v = r.validation_results;
    const ov = old.validation_results;
    const validationChanged = v.status !== ov.status || (v.message ?? null) !== (ov.message ?? null);
    const testsChanged = !isDeepStrictEqual(testOutcome(old), testOutcome(r));
    const definitionChanged = !isDeepStrictEqual(old.definition ?? null, r.definition ?? null);
    if (!validationChanged && !testsChanged && !definitionChanged) continue;
    const details: Record<string, unknown> = {};
    if (validationChanged) details.validation_changes = { old_status: ov.status, new_status: v.status };
    if (testsChanged) details.test_changes = { old_status: old.test_results?.status ?? null, new_status: r.test_results?.status ?? null };
    if (definitionChanged) details.definition_changed = true;
    changes.push({ path, ...withEndpoint(r), change_type: 'modified', details });
  }
  for (const [path, r] of before)
    if (!after.has(path)) changes.push({ path, ...withEndpoint(r), change_type: 'removed', details: { removed_resource: true } });
  return changes;
}

export function compareSnapshots(baseline: DriftSnapshot, current: DriftSnapshot, baselinePath: string): DriftReport {
  const table_changes = compareTables(baseline.tables, current.tables);
  const resource_changes = compareResources(baseline.resources, current.resources);
  const count = <T extends { change_type: string }>(xs: T[], type: string) => xs.filter((x) => x.change_type === type).length;
  const summary = {
    tables_added: count(table_changes, 'added'),
    tables_removed: count(table_changes, 'removed'),
    tables_modified: count(table_changes, 'modified'),
    resources_added: count(resource_changes, 'added'),
    resources_removed: count(resource_changes, 'removed'),
    resources_modified: count(resource_changes, 'modified'),
  };
  return {
    version: 1,
    generated_at: new Date().toISOString(),
    baseline_snapshot_path: baselinePath,
    current_snapshot_generated_at: current.generated_at,
    baseline_snapshot_generated_at: baseline.generated_at,
    has_drift: Object.values(summary).some((n) => n > 0),
    summary,
    table_changes,
    resource_changes,
  };
}
