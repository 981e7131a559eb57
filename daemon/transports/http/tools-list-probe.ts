/**
 * `GET /tools/list`: the operational guide's synthetic check (`curl -f http://localhost:8000/tools/list`).
 * It answers the JSON-RPC `tools/list` result of the serving generation through the normal dispatcher (a
 * throwaway legacy session, like a stateless request), so a 200 means the MCP layer and a generation work.
 * Unlike the probes it stays behind the Host/Origin guard: it lists what the daemon serves.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { UserContext } from '../../../sdk/user-context.js';
import type { McpDispatcher } from '../../mcp/dispatcher.js';
import { McpSession } from '../../mcp/session.js';
import { sendJson, sendStatus } from './respond.js';

const noop = () => undefined;

export async function toolsListProbe(
  req: IncomingMessage,
  res: ServerResponse,
  dispatcher: McpDispatcher,
  user?: UserContext,
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return sendStatus(res, 405, { allow: 'GET, HEAD' });
  const reply = await dispatcher.handleRequest(
    { kind: 'request', id: 'tools-list-probe', method: 'tools/list', params: {} },
    {
      transport: 'streamable-http',
      session: new McpSession(),
      notify: noop,
      era: 'legacy',
      version: '2025-11-25',
      ...(user ? { user } : {}),
    },
  );
  const body = JSON.parse(reply.body) as { result?: unknown; error?: unknown };
  if (body.result === undefined) return sendJson(res, 503, reply.body);
  sendJson(res, 200, JSON.stringify(body.result));
}
