/** Bounds plugin code the daemon waits for: entry import, creation and each lifecycle hook. */
import type { PluginRecord } from './types.js';

export const kDefaultHookTimeoutMs = 10_000;

/** Rejection value of {@link withTimeout} when time ran out (never an Error a plugin could throw). */
export const kTimedOut: unique symbol = Symbol('mxcp.plugin.timed-out');

export function hookTimeoutMs(record: PluginRecord): number {
  return record.manifest?.mxcp.hookTimeoutMs ?? kDefaultHookTimeoutMs;
}

/**
 * Settles like `work`, or rejects with {@link kTimedOut} after `ms`. The work itself cannot be cancelled
 * and may still finish later; callers treat the plugin as failed either way.
 */
export function withTimeout<T>(work: Promise<T> | T, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(kTimedOut), ms);
    Promise.resolve(work).then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}

/** Calls `fn` (a synchronous throw becomes a rejection) bounded by `ms`. */
export function callWithTimeout<T>(fn: () => T | Promise<T>, ms: number): Promise<T> {
  let work: Promise<T>;
  try {
    work = Promise.resolve(fn());
  } catch (err) {
    work = Promise.reject(err);
  }
  return withTimeout(work, ms);
}
