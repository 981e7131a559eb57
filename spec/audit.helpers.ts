/**
 * Shared by the spec/audit.*.test.ts files: records, a JSONL sink on a temp directory, a logger that keeps
 * its lines, and readers that check every line of a file is one whole record.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonlAuditSink, type JsonlSinkSettings } from '../plugins/audit-jsonl/jsonl-sink.js';
import { kDefaultSinkOptions } from '../plugins/audit-jsonl/options.js';
import type { AuditRecord } from '../sdk/audit.js';
import type { PluginLogger } from '../sdk/executor.js';

export function tempDir(): { readonly dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'mxcp-audit-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A well-formed record; `i` shows up in the name and input so lines can be told apart. */
export function record(i: number, overrides: Partial<AuditRecord> = {}): AuditRecord {
  return {
    schema_version: 1,
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    timestamp: new Date(Date.UTC(2025, 0, 15, 10, 0, 0) + i).toISOString(),
    caller: 'http',
    type: 'tool',
    name: `tool_${i % 3}`,
    status: i % 5 === 0 ? 'error' : 'success',
    error: i % 5 === 0 ? 'boom' : null,
    duration_ms: (i % 7) * 1.5,
    policy_decision: 'n/a',
    reason: null,
    user_id: `u${i % 4}`,
    username: null,
    session_id: null,
    trace_id: null,
    request_id: String(i),
    input: { i, padding: 'x'.repeat(64) },
    output: { ok: true },
    generation: 1,
    ...overrides,
  };
}

export interface LogLine {
  readonly level: string;
  readonly obj: Record<string, unknown>;
  readonly msg: string | undefined;
}

export function memoryLogger(): PluginLogger & { readonly lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at =
    (level: string) =>
    (obj: object | string, msg?: string): void => {
      lines.push(typeof obj === 'string' ? { level, obj: {}, msg: obj } : { level, obj: obj as Record<string, unknown>, msg });
    };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export function sinkSettings(path: string, overrides: Partial<JsonlSinkSettings> = {}): JsonlSinkSettings {
  return {
    path,
    maxFileSize: 50 * 1024 * 1024,
    fsync: 'never',
    fsyncIntervalMs: 1000,
    onFull: 'wait',
    ...kDefaultSinkOptions,
    ...overrides,
  };
}

export async function openSink(path: string, overrides: Partial<JsonlSinkSettings> = {}) {
  const log = memoryLogger();
  const sink = new JsonlAuditSink(sinkSettings(path, overrides), log);
  await sink.init();
  return { sink, log };
}

/** Every line of `file`; throws unless each is one whole JSON record (and the file ends with a newline). */
export function wholeRecords(file: string): AuditRecord[] {
  const text = readFileSync(file, 'utf8');
  if (text === '') return [];
  if (!text.endsWith('\n')) throw new Error(`${file} does not end with a newline`);
  return text
    .slice(0, -1)
    .split('\n')
    .map((line, i) => {
      try {
        return JSON.parse(line) as AuditRecord;
      } catch {
        throw new Error(`${file}:${i + 1} is not a whole record: ${line.slice(0, 80)}`);
      }
    });
}

/** Lines of `file` that parse, and those that do not. */
export function splitLines(file: string): { records: AuditRecord[]; broken: string[] } {
  const records: AuditRecord[] = [];
  const broken: string[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line === '') continue;
    try {
      records.push(JSON.parse(line) as AuditRecord);
    } catch {
      broken.push(line);
    }
  }
  return { records, broken };
}

/** The `.jsonl` files of a directory, sorted. */
export function jsonlFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((n) => n.endsWith('.jsonl'))
    .sort()
    .map((n) => join(dir, n));
}

/** Request ids of the records in `files`, as numbers, sorted. */
export function requestIds(records: readonly AuditRecord[]): number[] {
  return records.map((r) => Number(r.request_id)).sort((a, b) => a - b);
}

export function range(n: number, from = 0): number[] {
  return Array.from({ length: n }, (_, i) => from + i);
}
