/**
 * systemd's notify protocol (sd_notify(3)) for `Type=notify` units: datagrams on the unix socket named by
 * `$NOTIFY_SOCKET` (READY=1, RELOADING=1 + MONOTONIC_USEC, STOPPING=1, STATUS=..., WATCHDOG=1). Node has no
 * unix datagram sockets, so this uses the `unix-dgram` addon, an optional dependency: when it is missing
 * the daemon logs once and runs as with `Type=simple`. Without `$NOTIFY_SOCKET` nothing is sent.
 */
import { createRequire } from 'node:module';
import type { Logger } from '../logging/logger.js';

interface DgramSocket {
  send(buf: Buffer, offset: number, length: number, path: string, callback?: (err?: Error) => void): void;
  on(event: 'error', listener: (err: Error) => void): void;
  close(): void;
}

type UnixDgram = { createSocket(type: 'unix_dgram'): DgramSocket };

export class SystemdNotifier {
  readonly #socket: DgramSocket;
  readonly #path: string;
  readonly #logger: Logger;
  #watchdog: NodeJS.Timeout | undefined;

  private constructor(socket: DgramSocket, path: string, logger: Logger) {
    this.#socket = socket;
    this.#path = path;
    this.#logger = logger;
    socket.on('error', (err) => logger.warn({ err }, 'systemd notify socket error'));
  }

  /** A notifier when `$NOTIFY_SOCKET` is set and the addon loads; `undefined` otherwise. */
  static fromEnv(env: Readonly<Record<string, string | undefined>>, logger: Logger): SystemdNotifier | undefined {
    const target = env.NOTIFY_SOCKET;
    if (!target) return undefined;
    let dgram: UnixDgram;
    try {
      dgram = createRequire(import.meta.url)('unix-dgram') as UnixDgram;
    } catch (err) {
      logger.warn({ err }, 'NOTIFY_SOCKET is set but the unix-dgram addon is not installed; systemd notifications disabled');
      return undefined;
    }
    // A leading '@' names a socket in the abstract namespace.
    const path = target.startsWith('@') ? `\0${target.slice(1)}` : target;
    const notifier = new SystemdNotifier(dgram.createSocket('unix_dgram'), path, logger);
    const watchdogUsec = Number(env.WATCHDOG_USEC);
    const watchdogPid = env.WATCHDOG_PID ? Number(env.WATCHDOG_PID) : process.pid;
    if (watchdogUsec > 0 && watchdogPid === process.pid) notifier.#startWatchdog(watchdogUsec);
    return notifier;
  }

  send(...lines: string[]): void {
    const buf = Buffer.from(lines.join('\n'));
    this.#socket.send(buf, 0, buf.length, this.#path, (err) => {
      if (err) this.#logger.warn({ err }, 'systemd notify failed');
    });
  }

  ready(status: string): void {
    this.send('READY=1', `STATUS=${status}`);
  }

  /** Before a reload; `ready()` follows when it ends, whatever its outcome. */
  reloading(): void {
    // CLOCK_MONOTONIC in microseconds: process.hrtime reads the same clock systemd compares against.
    this.send('RELOADING=1', `MONOTONIC_USEC=${process.hrtime.bigint() / 1000n}`, 'STATUS=reloading');
  }

  stopping(): void {
    this.send('STOPPING=1', 'STATUS=draining');
  }

  /** Half the watchdog period, as sd_watchdog_enabled(3) recommends. */
  #startWatchdog(usec: number): void {
    this.#watchdog = setInterval(() => this.send('WATCHDOG=1'), Math.max(1, Math.floor(usec / 2000)));
    this.#watchdog.unref();
  }

  close(): void {
    if (this.#watchdog) clearInterval(this.#watchdog);
    this.#socket.close();
  }
}
