/**
 * One DuckDB instance per database file per process. Two instances on one file in one process do not
 * share a buffer pool or catalog, so their views diverge (seen with @duckdb/node-api); DuckDB's file lock
 * only keeps other PROCESSES out. So every runtime opening a file goes through this registry, which
 * shares the instance and counts references; the instance closes when its last runtime closes.
 *
 * Entries are keyed by the file's resolved real path and remember the file's device and inode: a file
 * replaced under the same path (a restore: `mv backup db.duckdb`, then SIGHUP) is a different file and
 * gets a new instance, while runtimes still on the old one keep it until they close.
 * Opens and closes of one path are serialised, so two concurrent opens cannot create two instances.
 */
import { mkdirSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { Errors, type MxcpError } from '../../sdk/errors/index.js';
import type { Logger } from '../logging/logger.js';
import type { CallerContexts } from './context-functions.js';

export interface DatabaseIdentity {
  /** Resolved real path of the database file. */
  readonly path: string;
  readonly readonly: boolean;
  readonly dev: number;
  readonly ino: number;
}

export class SharedInstance {
  refs = 0;
  /** The SQL context functions are registered once per instance (its system catalog). */
  functionsRegistered = false;
  /** Temporary secrets the latest runtime created, so a reloaded runtime can drop removed ones. */
  secretNames: readonly string[] = [];
  /** Connection id → caller context of the query running on it (see context-functions.ts). */
  readonly contexts: CallerContexts = new Map();

  constructor(
    readonly instance: DuckDBInstance,
    readonly identity: DatabaseIdentity,
  ) {}
}

const registry = new Map<string, SharedInstance>();
const queues = new Map<string, Promise<void>>();

function serialized<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const run = (queues.get(key) ?? Promise.resolve()).then(fn);
  const tail = run.then(
    () => undefined,
    () => undefined,
  );
  queues.set(key, tail);
  void tail.then(() => {
    if (queues.get(key) === tail) queues.delete(key);
  });
  return run;
}

function statIdentity(file: string): { dev: number; ino: number } | undefined {
  try {
    const st = statSync(file);
    return { dev: st.dev, ino: st.ino };
  } catch {
    return undefined;
  }
}

/** Refuses in-memory databases, creates the parent directory, returns the real path of the file. */
export function resolveDatabasePath(path: string): string {
  if (path.trim() === '' || path.startsWith(':memory:')) throw new Errors.MXCP_E_DB_MEMORY();
  const abs = resolve(path);
  try {
    mkdirSync(dirname(abs), { recursive: true });
    try {
      return realpathSync(abs);
    } catch {
      return join(realpathSync(dirname(abs)), basename(abs));
    }
  } catch (err) {
    throw new Errors.MXCP_E_DB_OPEN({ path: abs, detail: (err as Error).message }, { cause: err });
  }
}

/** The identity the file at `path` would have if opened now (for reload decisions); undefined if missing. */
export function currentIdentity(path: string, readonly: boolean): DatabaseIdentity | undefined {
  const file = resolveDatabasePath(path);
  const id = statIdentity(file);
  return id ? { path: file, readonly, ...id } : undefined;
}

/** Maps DuckDB's open failure: a lock held by another process gets its own code and guidance. */
export function openError(file: string, err: unknown): MxcpError {
  const message = err instanceof Error ? err.message : String(err);
  if (/could not set lock on file/i.test(message)) {
    const pid = /\(PID (\d+)\)/.exec(message);
    return new Errors.MXCP_E_DB_LOCKED(pid ? { path: file, pid: Number(pid[1]) } : { path: file }, { cause: err });
  }
  return new Errors.MXCP_E_DB_OPEN({ path: file, detail: message.split('\n')[0] ?? message }, { cause: err });
}

async function createInstance(file: string, readonly: boolean): Promise<DuckDBInstance> {
  try {
    return await DuckDBInstance.create(file, { access_mode: readonly ? 'READ_ONLY' : 'READ_WRITE' });
  } catch (err) {
    throw openError(file, err);
  }
}

/** A replaced file's old instance: fold its WAL into the old file so the new file never replays it. */
async function checkpointQuietly(shared: SharedInstance, logger: Logger): Promise<void> {
  if (shared.identity.readonly) return;
  try {
    const conn = await shared.instance.connect();
    try {
      await conn.run('CHECKPOINT');
    } finally {
      conn.disconnectSync();
    }
  } catch (err) {
    logger.warn({ err, path: shared.identity.path }, 'could not checkpoint the replaced database file');
  }
}

export function acquireInstance(path: string, readonly: boolean, logger: Logger): Promise<SharedInstance> {
  const file = resolveDatabasePath(path);
  return serialized(file, async () => {
    const current = statIdentity(file);
    const existing = registry.get(file);
    if (existing) {
      if (current && current.dev === existing.identity.dev && current.ino === existing.identity.ino) {
        if (existing.identity.readonly !== readonly) {
          const mode = (ro: boolean): string => (ro ? 'read-only' : 'read-write');
          throw new Errors.MXCP_E_DB_MODE_CONFLICT({ path: file, open: mode(existing.identity.readonly), requested: mode(readonly) });
        }
        existing.refs++;
        return existing;
      }
      registry.delete(file);
      logger.warn({ path: file }, 'the database file was replaced; opening the new file beside the old one until the old one closes');
      await checkpointQuietly(existing, logger);
    }
    if (readonly && !current) {
      // DuckDB cannot create a file in read-only mode: create it empty first (MXCP does the same).
      (await createInstance(file, false)).closeSync();
    }
    const instance = await createInstance(file, readonly);
    const id = statIdentity(file) ?? { dev: 0, ino: 0 };
    const shared = new SharedInstance(instance, { path: file, readonly, ...id });
    shared.refs = 1;
    registry.set(file, shared);
    return shared;
  });
}

export function releaseInstance(shared: SharedInstance): Promise<void> {
  return serialized(shared.identity.path, async () => {
    shared.refs--;
    if (shared.refs > 0) return;
    if (registry.get(shared.identity.path) === shared) registry.delete(shared.identity.path);
    shared.instance.closeSync();
  });
}
