/**
 * Worker pools shared by consecutive generations. A reload builds a new executor; when nothing a worker
 * depends on changed (the worker file, the endpoint modules and their transpiled hashes, the configuration
 * snapshot, the executor options), the new executor takes a reference on the serving pool instead of
 * starting new workers: a reload then costs no worker start-up (measured: most of a reload's CPU). Any change
 * starts a fresh pool, as before. The pool's `onInit` state therefore lives on across such reloads, exactly as
 * it does between calls; `onShutdown` runs when the last generation using the pool closes.
 *
 * Worker requests (`db.execute`, logs, progress) are routed by call id to the generation that made the call, so
 * a call of the draining generation still reaches its own database; hook requests (no call id) go to the
 * newest generation.
 */
import { createHash } from 'node:crypto';
import type { MessagePort } from 'node:worker_threads';
import type { MxcpError } from '../../sdk/errors/index.js';
import type { HostBridge } from './host-bridge.js';
import type { LoadProblem, WorkerInit, WorkerMessage } from './protocol.js';
import type { WorkerPool } from './worker-pool.js';

type Bridged = Parameters<HostBridge['handle']>[1];

/** What a pool needs of its owners: someone to serve worker requests, and to hear that the pool broke. */
export class BridgeRouter {
  readonly #owners: { readonly bridge: HostBridge; readonly onBroken: (err: MxcpError) => void }[] = [];

  add(bridge: HostBridge, onBroken: (err: MxcpError) => void): void {
    this.#owners.push({ bridge, onBroken });
  }

  remove(bridge: HostBridge): void {
    const i = this.#owners.findIndex((o) => o.bridge === bridge);
    if (i !== -1) this.#owners.splice(i, 1);
  }

  handle(port: MessagePort, msg: Bridged): void {
    const callId = (msg as Extract<WorkerMessage, { callId?: number }>).callId;
    const owner = (callId !== undefined ? this.#owners.find((o) => o.bridge.owns(callId)) : undefined) ?? this.#owners.at(-1);
    owner?.bridge.handle(port, msg);
  }

  broken(err: MxcpError): void {
    for (const o of this.#owners) o.onBroken(err);
  }
}

export interface SharedPool {
  readonly key: string;
  readonly pool: WorkerPool;
  readonly router: BridgeRouter;
  readonly report: LoadProblem[];
  refs: number;
}

const pools = new Map<string, SharedPool>();

/** Identity of a pool's inputs; the transpiled code is represented by its hashes. */
export function poolKey(workerFile: string, init: WorkerInit, options: object): string {
  const transpiled = Object.entries(init.transpiled)
    .map(([path, m]) => [path, m.hash])
    .sort();
  const identity = JSON.stringify([workerFile, init.endpoints, init.config, init.sdkUrl, transpiled, options]);
  return createHash('sha256').update(identity).digest('hex');
}

/** A healthy pool with these inputs, with one more reference; undefined when a new one must start. */
export function acquireShared(key: string): SharedPool | undefined {
  const shared = pools.get(key);
  if (!shared || shared.pool.broken || shared.pool.destroyed) return undefined;
  shared.refs++;
  return shared;
}

export function registerShared(shared: SharedPool): void {
  const previous = pools.get(shared.key);
  // An older pool under the same key (broken, being replaced) keeps running for its own holders only.
  if (previous !== shared) pools.set(shared.key, shared);
}

/** Drops one reference; true when it was the last (the caller shuts the pool down). */
export function releaseShared(shared: SharedPool): boolean {
  shared.refs--;
  if (shared.refs > 0) return false;
  if (pools.get(shared.key) === shared) pools.delete(shared.key);
  return true;
}
