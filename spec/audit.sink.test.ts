/**
 * The JSONL sink on a real file: concurrency, rotation, the guide's `mv` + `gzip` backup, SIGHUP reopen,
 * `tail -f`, fsync modes, a full queue (wait vs drop) and close.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import createJsonlAuditSink from '../plugins/audit-jsonl/index.js';
import type { PluginContext } from '../sdk/plugin-definition.js';
import { jsonlFiles, memoryLogger, openSink, range, record, requestIds, tempDir, wholeRecords } from './audit.helpers.js';

let tmp: ReturnType<typeof tempDir> | undefined;
let tail: ChildProcess | undefined;
afterEach(() => {
  tail?.kill();
  tail = undefined;
  tmp?.remove();
  tmp = undefined;
});

function setUp() {
  tmp = tempDir();
  return join(tmp.dir, 'audit', 'production.jsonl');
}

describe('JSONL audit sink', () => {
  it('creates parent directories and writes exactly the configured path', async () => {
    const path = setUp();
    const { sink } = await openSink(path);
    await sink.write(record(1));
    await sink.close();
    expect(jsonlFiles(join(tmp!.dir, 'audit'))).toEqual([path]);
    expect(wholeRecords(path)).toEqual([record(1)]);
  });

  it('many concurrent submits: every record once, whole lines, in submission order, in few batches', async () => {
    const path = setUp();
    const { sink } = await openSink(path);
    await Promise.all(range(5000).map((i) => sink.write(record(i))));
    await sink.flush();
    const records = wholeRecords(path);
    expect(records.map((r) => Number(r.request_id))).toEqual(range(5000));
    expect(sink.stats()).toMatchObject({ accepted: 5000, written: 5000, queued: 0, dropped: 0, writeErrors: 0 });
    await sink.close();
  });

  it('rotates at max_file_size to <stem>-<YYYYMMDDTHHMMSS>.jsonl segments; no segment exceeds the size', async () => {
    const path = setUp();
    const { sink } = await openSink(path, { maxFileSize: 4096, maxBatchBytes: 1024 });
    for (const i of range(200)) {
      void sink.write(record(i));
      if (i % 10 === 9) await sink.flush();
    }
    await sink.close();
    const files = jsonlFiles(join(tmp!.dir, 'audit'));
    const segments = files.filter((f) => f !== path);
    expect(segments.length).toBeGreaterThan(3);
    for (const s of segments) expect(s).toMatch(/production-\d{8}T\d{6}(-\d+)?\.jsonl$/);
    for (const f of files) expect(statSync(f).size).toBeLessThanOrEqual(4096);
    expect(requestIds(files.flatMap(wholeRecords))).toEqual(range(200));
    expect(sink.stats().rotations).toBe(segments.length);
  });

  it("the guide's `mv` + `gzip` backup loses no record: before the move in the moved file, after it in the new one", async () => {
    const path = setUp();
    const backup = join(tmp!.dir, 'backup', 'audit-20250115.jsonl');
    execFileSync('mkdir', ['-p', join(tmp!.dir, 'backup')]);
    const { sink } = await openSink(path);
    for (const i of range(250)) void sink.write(record(i));
    await sink.flush();
    renameSync(path, backup); // mv /app/audit/production.jsonl /backup/audit-$(date +%Y%m%d).jsonl
    for (const i of range(250, 250)) void sink.write(record(i));
    await sink.flush();
    execFileSync('gzip', [backup]); // gzip /backup/audit-*.jsonl
    await sink.close();
    const moved = gunzipSync(readFileSync(`${backup}.gz`)).toString('utf8');
    expect(
      moved
        .split('\n')
        .filter(Boolean)
        .map((l) => Number(JSON.parse(l).request_id)),
    ).toEqual(range(250));
    expect(wholeRecords(path).map((r) => Number(r.request_id))).toEqual(range(250, 250));
    expect(sink.stats().reopens).toBe(1);
  });

  it('`mv` in the middle of a burst: every record in exactly one file, the moved one holding the older ones', async () => {
    const path = setUp();
    const moved = join(tmp!.dir, 'moved.jsonl');
    const { sink } = await openSink(path);
    const writes: unknown[] = [];
    for (const i of range(3000)) {
      writes.push(sink.write(record(i)));
      if (i === 1500) renameSync(path, moved);
      if (i % 100 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(writes);
    await sink.close();
    const before = wholeRecords(moved).map((r) => Number(r.request_id));
    const after = wholeRecords(path).map((r) => Number(r.request_id));
    expect([...before, ...after]).toEqual(range(3000));
    expect(before.length).toBeGreaterThan(0);
    expect(after.length).toBeGreaterThan(0);
  });

  it('reopen() (SIGHUP) starts a new file at the path at once, even before the next record', async () => {
    const path = setUp();
    const { sink } = await openSink(path);
    await sink.write(record(1));
    await sink.flush();
    renameSync(path, `${path}.1`);
    await sink.reopen();
    expect(existsSync(path)).toBe(true);
    await sink.write(record(2));
    await sink.close();
    expect(wholeRecords(`${path}.1`)).toEqual([record(1)]);
    expect(wholeRecords(path)).toEqual([record(2)]);
  });

  it('`tail -f` on the configured path sees each record as soon as it is written, without a flush', async () => {
    const path = setUp();
    const { sink } = await openSink(path, { fsync: 'interval', fsyncIntervalMs: 60_000 });
    tail = spawn('tail', ['-n', '+1', '-f', path]);
    let seen = '';
    tail.stdout?.setEncoding('utf8').on('data', (d: string) => {
      seen += d;
    });
    const waitFor = async (id: string) => {
      const deadline = Date.now() + 5000;
      while (!seen.includes(`"request_id":"${id}"`)) {
        if (Date.now() > deadline) throw new Error(`tail -f did not show record ${id}; saw: ${seen}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    for (const i of range(3, 1)) {
      const started = Date.now();
      await sink.write(record(i));
      await waitFor(String(i));
      // GNU tail polls once a second at most when inotify is unavailable.
      expect(Date.now() - started).toBeLessThan(2500);
    }
    await sink.close();
  });

  it('fsync: always syncs every batch, interval on its timer, never not at all', async () => {
    for (const [fsync, check] of [
      ['always', (n: number) => expect(n).toBeGreaterThanOrEqual(10)],
      ['interval', (n: number) => expect(n).toBeGreaterThanOrEqual(1)],
      ['never', (n: number) => expect(n).toBe(0)],
    ] as const) {
      const path = setUp();
      const { sink } = await openSink(path, { fsync, fsyncIntervalMs: 50 });
      for (const i of range(10)) {
        await sink.write(record(i));
        // Let each record go out in its own batch.
        while (sink.stats().written <= i) await new Promise((resolve) => setTimeout(resolve, 1));
      }
      if (fsync === 'interval') {
        expect(sink.stats().fsyncs).toBeLessThan(10);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      // `always`: the last batch's sync may still be running when `written` counts it.
      if (fsync === 'always') while (sink.stats().fsyncs < 10) await new Promise((resolve) => setTimeout(resolve, 1));
      check(sink.stats().fsyncs);
      // flush() syncs unless fsync is `never`: what it acknowledged is on disk.
      const before = sink.stats().fsyncs;
      await sink.write(record(99));
      await sink.flush();
      if (fsync === 'never') expect(sink.stats().fsyncs).toBe(0);
      else expect(sink.stats().fsyncs).toBeGreaterThan(before);
      await sink.close();
      expect(wholeRecords(path)).toHaveLength(11);
      tmp?.remove();
    }
  });

  it('queue full with on_full: wait holds the writers, loses nothing and keeps submission order', async () => {
    const path = setUp();
    const { sink } = await openSink(path, { queueCapacity: 10 });
    const results = range(1000).map((i) => sink.write(record(i)));
    const waiting = results.filter((r) => r instanceof Promise).length;
    expect(waiting).toBeGreaterThan(900);
    await Promise.all(results);
    await sink.close();
    expect(wholeRecords(path).map((r) => Number(r.request_id))).toEqual(range(1000));
    expect(sink.stats()).toMatchObject({ accepted: 1000, written: 1000, dropped: 0 });
  });

  it('queue full with on_full: drop drops and counts, never blocks, and says so in the log', async () => {
    const path = setUp();
    const { sink, log } = await openSink(path, { queueCapacity: 10, onFull: 'drop' });
    const results = range(1000).map((i) => sink.write(record(i)));
    expect(results.every((r) => r === undefined)).toBe(true);
    await sink.close();
    const stats = sink.stats();
    expect(stats.dropped).toBeGreaterThan(900);
    expect(stats.written + stats.dropped).toBe(1000);
    expect(wholeRecords(path)).toHaveLength(stats.written);
    expect(log.lines.find((l) => l.obj.code === 'MXCP_E_AUDIT_RECORDS_LOST')?.msg).toContain('on_full: drop');
  });

  it('close flushes everything, then refuses records with MXCP_E_AUDIT_SINK_CLOSED; close is idempotent', async () => {
    const path = setUp();
    const { sink } = await openSink(path);
    for (const i of range(100)) void sink.write(record(i));
    const closing = sink.close();
    expect(sink.close()).toBe(closing);
    await closing;
    expect(wholeRecords(path)).toHaveLength(100);
    expect(() => sink.write(record(100))).toThrow(expect.objectContaining({ code: 'MXCP_E_AUDIT_SINK_CLOSED' }));
  });

  it('an instance created without audit settings (outside the audit trail) opens nothing and refuses records', async () => {
    const context = {
      name: '@mxcp/audit-jsonl',
      version: '0.1.0',
      kind: 'audit-sink',
      config: {},
      logger: memoryLogger(),
      resolve: () => {
        throw new Error('unregistered');
      },
    } as unknown as PluginContext;
    const sink = createJsonlAuditSink(context);
    expect(() => sink.write(record(1))).toThrow(expect.objectContaining({ code: 'MXCP_E_AUDIT_SINK_UNCONFIGURED' }));
  });
});
