/**
 * The JSONL sink under hostile conditions: two processes appending to one file (with rotation), a
 * file-size limit (`ulimit -f`, EFBIG) and a full disk (a small tmpfs, ENOSPC; needs root and mount(8),
 * skipped otherwise). Every case: no partial line ever sits between two records, nothing is lost, the
 * writer survives and logs a coded error.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuditSinkStats } from '../sdk/audit.js';
import { jsonlFiles, openSink, range, record, requestIds, splitLines, tempDir, wholeRecords } from './audit.helpers.js';

const kWriter = fileURLToPath(new URL('./fixtures/audit/writer.mjs', import.meta.url));

let tmp: ReturnType<typeof tempDir> | undefined;
let mounted: string | undefined;
afterEach(() => {
  if (mounted) execFileSync('umount', ['-l', mounted]);
  mounted = undefined;
  tmp?.remove();
  tmp = undefined;
});

interface Run {
  readonly code: number | null;
  readonly stats: AuditSinkStats | undefined;
  readonly log: Record<string, unknown>[];
}

function writer(args: readonly string[], shellPrefix?: string, env?: NodeJS.ProcessEnv): Promise<Run> {
  const command = shellPrefix ? 'bash' : process.execPath;
  const argv = shellPrefix ? ['-c', `${shellPrefix}; exec "${process.execPath}" "$@"`, 'bash', kWriter, ...args] : [kWriter, ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      err += d;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const log = err
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      resolve({ code, stats: out.trim() ? (JSON.parse(out) as AuditSinkStats) : undefined, log });
    });
  });
}

/** Every record in `dir`: parsable lines only; broken lines must be the last line of a segment. */
function collect(dir: string, active: string) {
  const all = [];
  let torn = 0;
  for (const file of jsonlFiles(dir)) {
    const { records, broken } = splitLines(file);
    all.push(...records);
    if (broken.length === 0) continue;
    expect(file, 'a torn line never stays in the active file').not.toBe(active);
    expect(broken, `${file}: only the last line may be torn`).toHaveLength(1);
    const text = execFileSync('tail', ['-c', '200', file], { encoding: 'utf8' });
    expect(text.endsWith('\n'), `${file} ends with its torn line`).toBe(false);
    torn++;
  }
  return { records: all, torn };
}

describe('JSONL audit sink, faults', () => {
  it('two processes appending to the same file (and rotating it) never interleave partial lines and lose nothing', async () => {
    tmp = tempDir();
    const path = join(tmp.dir, 'audit', 'shared.jsonl');
    // Both writers open their sinks, then wait at a gate the test opens once both are ready, so they overlap
    // even when the machine is so loaded that one process would otherwise finish before the other starts.
    const gate = join(tmp.dir, 'gate');
    const env = { MXCP_WRITER_GATE: gate };
    const runs = Promise.all([
      writer([path, '3000', '0', String(256 * 1024)], undefined, env),
      writer([path, '3000', '100000', String(256 * 1024)], undefined, env),
    ]);
    while (!(existsSync(`${gate}.ready.0`) && existsSync(`${gate}.ready.100000`))) await new Promise((r) => setTimeout(r, 10));
    writeFileSync(gate, '');
    const [a, b] = await runs;
    expect([a.code, b.code]).toEqual([0, 0]);
    const files = jsonlFiles(join(tmp.dir, 'audit'));
    expect(files.length).toBeGreaterThan(2);
    const records = files.flatMap(wholeRecords); // throws on any line that is not one whole record
    expect(requestIds(records)).toEqual([...range(3000), ...range(3000, 100000)]);
    // Both processes wrote into the same files, batch by batch.
    const pidsPerFile = files.map((f) => new Set(wholeRecords(f).map((r) => (r.input as { pid: number }).pid)).size);
    expect(Math.max(...pidsPerFile)).toBe(2);
  });

  it('a file-size limit (ulimit -f, EFBIG) is logged, counted and survived: the file is sealed and writing goes on', async () => {
    tmp = tempDir();
    const dir = join(tmp.dir, 'audit');
    const path = join(dir, 'limited.jsonl');
    // bash counts -f in 1024-byte blocks: no file this process writes may pass 64 KiB.
    const run = await writer([path, '1500', '0'], 'ulimit -f 64');
    expect(run.code).toBe(0);
    expect(run.stats!.writeErrors).toBeGreaterThan(0);
    expect(run.stats!.rotations).toBeGreaterThan(0);
    expect(run.stats!.written).toBe(1500);
    expect(run.log.find((l) => l.code === 'MXCP_E_AUDIT_WRITE_FAILED')).toMatchObject({ level: 'error', errno: 'EFBIG' });
    for (const f of jsonlFiles(dir)) expect(statSync(f).size).toBeLessThanOrEqual(64 * 1024);
    const { records } = collect(dir, path);
    expect(requestIds(records)).toEqual(range(1500));
  });

  const canMount = (() => {
    if (process.getuid?.() !== 0) return false;
    const probe = tempDir();
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe.dir], { stdio: 'ignore' });
      execFileSync('umount', [probe.dir], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    } finally {
      probe.remove();
    }
  })();

  it.skipIf(!canMount)(
    'a full disk (tmpfs, ENOSPC) keeps records queued and writes them when space returns; close gives up after its deadline',
    async () => {
      tmp = tempDir();
      const mnt = join(tmp.dir, 'mnt');
      mkdirSync(mnt);
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', mnt]);
      mounted = mnt;
      const path = join(mnt, 'audit', 'full.jsonl');
      const filler = join(mnt, 'filler');
      writeFileSync(filler, Buffer.alloc(200 * 1024));
      const { sink, log } = await openSink(path, { closeTimeoutMs: 300 });
      const writes = range(300).map((i) => sink.write(record(i)));
      await Promise.all(writes); // accepted (queued) even though the disk is full
      const deadline = Date.now() + 5000;
      while (sink.stats().writeErrors === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(sink.stats().writeErrors).toBeGreaterThan(0);
      expect(sink.stats().queued).toBeGreaterThan(0);
      expect(log.lines.find((l) => l.obj.code === 'MXCP_E_AUDIT_WRITE_FAILED')).toMatchObject({ level: 'error', obj: { errno: 'ENOSPC' } });

      rmSync(filler); // space returns: the queue drains on the next retry
      await sink.flush();
      expect(sink.stats()).toMatchObject({ written: 300, queued: 0, dropped: 0 });
      expect(log.lines.some((l) => l.msg?.includes('recovered'))).toBe(true);
      const { records } = collect(join(mnt, 'audit'), path);
      expect(requestIds(records)).toEqual(range(300));

      // Full again, for good: close waits closeTimeoutMs, then counts and reports what it could not write.
      try {
        writeFileSync(filler, Buffer.alloc(256 * 1024));
      } catch {
        // ENOSPC: the filler took every block there was
      }
      for (const i of range(100, 1000)) void sink.write(record(i));
      const started = Date.now();
      await sink.close();
      expect(Date.now() - started).toBeLessThan(3000);
      const stats = sink.stats();
      expect(stats.dropped).toBeGreaterThan(0);
      expect(stats.written + stats.dropped).toBe(400);
      expect(log.lines.find((l) => l.obj.code === 'MXCP_E_AUDIT_RECORDS_LOST')?.msg).toContain('at close');
    },
  );
});
