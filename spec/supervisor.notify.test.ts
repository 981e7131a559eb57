/**
 * systemd `Type=notify`: the test binds a unix datagram socket (as systemd does), starts the daemon with
 * `NOTIFY_SOCKET` pointing at it, and checks the datagrams in order: READY=1 after listening,
 * RELOADING=1 with MONOTONIC_USEC then READY=1 around a SIGHUP reload, STOPPING=1 on SIGTERM.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { TempProject } from './support/project.js';
import { type Daemon, serveProject, startDaemon, waitFor } from './support/serve-daemon.js';

interface DgramSocket {
  bind(path: string): void;
  on(event: 'message', listener: (msg: Buffer) => void): void;
  close(): void;
}
const unix = createRequire(import.meta.url)('unix-dgram') as { createSocket(type: 'unix_dgram', cb?: (msg: Buffer) => void): DgramSocket };

let project: TempProject | undefined;
let daemon: Daemon | undefined;
let socket: DgramSocket | undefined;

afterEach(async () => {
  await daemon?.stop('SIGKILL');
  socket?.close();
  daemon = undefined;
  socket = undefined;
  project?.remove();
  project = undefined;
});

describe('systemd notify', () => {
  it('sends READY=1, RELOADING=1 + MONOTONIC_USEC then READY=1, and STOPPING=1, in that order', async () => {
    project = serveProject();
    const path = join(project.home, 'notify.sock');
    const messages: string[] = [];
    socket = unix.createSocket('unix_dgram', (msg) => messages.push(msg.toString('utf8')));
    socket.bind(path);
    daemon = await startDaemon(project, ['--stateless'], { env: { NOTIFY_SOCKET: path } });
    const d = daemon;
    await waitFor(() => messages.length >= 1);
    expect(messages[0]).toMatch(/^READY=1\nSTATUS=serving streamable-http on /);

    d.child.kill('SIGHUP');
    await waitFor(() => messages.length >= 3);
    const reloading = messages[1] ?? '';
    expect(reloading).toMatch(/^RELOADING=1\nMONOTONIC_USEC=\d+\n/);
    expect(messages[2]).toBe('READY=1\nSTATUS=serving generation 2');

    expect(await d.stop('SIGTERM')).toBe(0);
    await waitFor(() => messages.length >= 4);
    expect(messages[3]).toBe('STOPPING=1\nSTATUS=draining');
  });
});
