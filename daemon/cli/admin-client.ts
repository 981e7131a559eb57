/**
 * DESIGN section 8: DuckDB has one writer process per file, so while `mxcp serve` holds the database,
 * `mxcp run`, `query` and `test` hand their work to that daemon over its admin socket (when it has one)
 * instead of failing. The daemon runs it on its serving generation; audit records say caller `admin`.
 */
import { lstatSync } from 'node:fs';
import { request } from 'node:http';
import { MxcpError } from '../../sdk/errors/index.js';
import type { Env } from '../config/env.js';
import { kDefaultAdminSocket } from '../supervisor/admin-socket.js';

export const kNoDaemon = Symbol('no daemon on the admin socket');

export function isDbLocked(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === 'MXCP_E_DB_LOCKED';
}

/**
 * Sends `body` to `POST /<op>` on the admin socket. Returns the result, throws the daemon's coded error as
 * one of ours, or returns {@link kNoDaemon} when no daemon answers there (the caller then reports the lock).
 */
export async function viaAdminSocket(env: Env, op: 'run' | 'query' | 'test', body: unknown): Promise<unknown> {
  const path = env.MXCP_ADMIN_SOCKET || kDefaultAdminSocket;
  try {
    if (!lstatSync(path).isSocket()) return kNoDaemon;
  } catch {
    return kNoDaemon;
  }
  const text = JSON.stringify(body);
  const reply = await new Promise<{ status: string; result?: unknown; code?: string; error?: string; exit_code?: number } | undefined>(
    (resolve) => {
      const req = request(
        {
          socketPath: path,
          method: 'POST',
          path: `/${op}`,
          headers: { host: 'localhost', 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) },
        },
        (res) => {
          let data = '';
          res.setEncoding('utf8').on('data', (d: string) => {
            data += d;
          });
          res.on('end', () => {
            try {
              resolve(JSON.parse(data));
            } catch {
              resolve(undefined);
            }
          });
        },
      );
      req.on('error', () => resolve(undefined)); // a stale socket file: nobody listens
      req.end(text);
    },
  );
  if (!reply) return kNoDaemon;
  if (reply.status === 'ok') return reply.result;
  const code = reply.code ?? 'internal_error';
  const message = (reply.error ?? 'the daemon failed the request').replace(new RegExp(` \\(${code}\\)$`), '');
  throw new MxcpError(code.startsWith('MXCP_E_') ? code : 'MXCP_E_ADMIN_SOCKET_FAILED', message, {
    exitCode: reply.exit_code === 2 ? 2 : 1,
  });
}
