/**
 * The HTTP+SSE transport of protocol 2024-11-05 (MXCP's `--transport sse`), kept for older clients:
 *
 *   GET  /sse                          opens the event stream; its first event (`endpoint`) names the
 *                                      URL to POST to: /messages/?session_id=<id>
 *   POST /messages/?session_id=<id>    one JSON-RPC message; 202 at once, the reply goes on the stream
 *
 * The session lives as long as its stream: closing the stream ends it (and cancels what it still runs).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Errors } from '../../../sdk/errors/index.js';
import type { UserContext } from '../../../sdk/user-context.js';
import type { McpDispatcher } from '../../mcp/dispatcher.js';
import { classifyMessage, parseJson, requestIdOf } from '../../mcp/jsonrpc.js';
import type { RequestEnvelope } from '../../mcp/method-call.js';
import { checkJsonContentType, readBody } from './request-body.js';
import { sendFailure, sendJson } from './respond.js';
import type { SessionStore } from './session-store.js';
import { SseStream } from './sse-stream.js';
import { ownerOf } from './streamable-http.js';

export interface LegacySseOptions {
  readonly dispatcher: McpDispatcher;
  readonly sessions: SessionStore;
  readonly maxBodyBytes: number;
  readonly keepaliveMs: number;
  /** Path of the message endpoint, announced in the `endpoint` event. */
  readonly messagesPath: string;
}

export interface LegacySseHandlers {
  stream(req: IncomingMessage, res: ServerResponse, user?: UserContext): void;
  message(req: IncomingMessage, res: ServerResponse, query: URLSearchParams, user?: UserContext): Promise<void>;
}

export function createLegacySseHandlers(options: LegacySseOptions): LegacySseHandlers {
  const { dispatcher, sessions } = options;
  return {
    stream(req, res, user) {
      if (req.method !== 'GET') {
        return sendFailure(res, new Errors.MXCP_E_MCP_HTTP_METHOD({ method: req.method ?? '?', detail: 'on /sse' }), {
          headers: { allow: 'GET' },
        });
      }
      const entry = sessions.create(ownerOf(user));
      const { session } = entry;
      const stream = new SseStream(res, options.keepaliveMs);
      entry.stream = stream;
      session.push = (m) => stream.send(JSON.stringify(m));
      sessions.register(entry);
      stream.send(`${options.messagesPath}?session_id=${session.id}`, 'endpoint');
      res.once('close', () => sessions.delete(session.id as string));
    },

    async message(req, res, query, user) {
      try {
        if (req.method !== 'POST') {
          throw new Errors.MXCP_E_MCP_HTTP_METHOD({ method: req.method ?? '?', detail: 'on the SSE message endpoint' });
        }
        const sid = query.get('session_id');
        if (!sid) throw new Errors.MXCP_E_MCP_SESSION_REQUIRED();
        const entry = sessions.get(sid, ownerOf(user));
        const stream = entry?.stream;
        if (!entry || !stream) throw new Errors.MXCP_E_MCP_SESSION_NOT_FOUND();
        checkJsonContentType(req);
        const text = await readBody(req, options.maxBodyBytes);
        let parsed: unknown;
        try {
          parsed = parseJson(text);
          const message = classifyMessage(parsed);
          sendJson(res, 202, '"Accepted"');
          const envelope: RequestEnvelope = {
            transport: 'sse',
            session: entry.session,
            headers: req.headers as Readonly<Record<string, string>>,
            notify: (m) => stream.send(JSON.stringify(m)),
            // The stream is the only way back: when it closes, the session ends and cancels its calls.
            era: 'legacy',
            ...(user ? { user } : {}),
          };
          const reply = await dispatcher.handle(message, envelope);
          if (reply && !reply.cancelled) stream.send(reply.body);
        } catch (err) {
          sendFailure(res, err, { id: requestIdOf(parsed) });
        }
      } catch (err) {
        sendFailure(res, err);
      }
    },
  };
}
