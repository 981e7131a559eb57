/**
 * The Streamable HTTP endpoint (`/mcp`), both eras:
 *
 *   POST    one JSON-RPC message (no batches). Requests answer with JSON or SSE (post-responder.ts);
 *           notifications and client responses get 202.
 *             modern (2026-07-28)      stateless: no session, Mcp-Session-Id ignored
 *             legacy, --stateless      a throwaway session per request; no initialize needed
 *             legacy, stateful         initialize creates a session (Mcp-Session-Id on its response);
 *                                      every other message needs the id (400 without, 404 unknown)
 *   GET     legacy stateful: the session's stream for server-initiated notifications. 405 otherwise.
 *   DELETE  legacy stateful: ends the session. 405 otherwise.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Errors } from '../../../sdk/errors/index.js';
import type { UserContext } from '../../../sdk/user-context.js';
import type { McpDispatcher } from '../../mcp/dispatcher.js';
import { classifyMessage, type IncomingMessage as McpMessage, parseJson, requestIdOf } from '../../mcp/jsonrpc.js';
import type { RequestEnvelope } from '../../mcp/method-call.js';
import { McpSession } from '../../mcp/session.js';
import { PostResponder } from './post-responder.js';
import { headerEra, resolveHttpProtocol } from './protocol-headers.js';
import { acceptedResponses, checkJsonContentType, readBody } from './request-body.js';
import { sendFailure, sendStatus } from './respond.js';
import type { HttpSession, SessionStore } from './session-store.js';
import { SseStream } from './sse-stream.js';

export interface StreamableOptions {
  readonly dispatcher: McpDispatcher;
  readonly sessions: SessionStore;
  readonly stateless: boolean;
  readonly maxBodyBytes: number;
  readonly keepaliveMs: number;
}

const kSessionHeader = 'mcp-session-id';

export function createStreamableHandler(
  options: StreamableOptions,
): (req: IncomingMessage, res: ServerResponse, user?: UserContext) => Promise<void> {
  const { dispatcher, sessions, stateless } = options;

  async function post(req: IncomingMessage, res: ServerResponse, user: UserContext | undefined): Promise<void> {
    const owner = ownerOf(user);
    const { sse } = acceptedResponses(req);
    checkJsonContentType(req);
    const text = await readBody(req, options.maxBodyBytes);
    let parsed: unknown;
    let message: McpMessage;
    try {
      parsed = parseJson(text);
      message = classifyMessage(parsed);
    } catch (err) {
      sendFailure(res, err, { id: requestIdOf(parsed) });
      return;
    }
    const id = message.kind === 'request' ? message.id : null;
    let protocol: ReturnType<typeof resolveHttpProtocol>;
    try {
      protocol = resolveHttpProtocol(req.headers, message);
    } catch (err) {
      sendFailure(res, err, { id, era: 'modern' });
      return;
    }
    const { era } = protocol;
    // Header values are strings for every request header but set-cookie, which requests do not carry.
    const headers = req.headers as Readonly<Record<string, string>>;

    let entry: HttpSession | undefined;
    let fresh = false;
    if (era === 'legacy' && !stateless) {
      const sid = req.headers[kSessionHeader];
      const isInitialize = message.kind === 'request' && message.method === 'initialize';
      if (typeof sid === 'string') {
        entry = sessions.get(sid, owner);
        if (!entry) {
          sendFailure(res, new Errors.MXCP_E_MCP_SESSION_NOT_FOUND(), { id });
          return;
        }
      } else if (isInitialize) {
        entry = sessions.create(owner);
        fresh = true;
      } else {
        return sendFailure(res, new Errors.MXCP_E_MCP_SESSION_REQUIRED(), { id });
      }
    }
    const session = entry?.session ?? new McpSession();

    if (message.kind !== 'request') {
      const envelope: RequestEnvelope = { transport: 'streamable-http', session, headers, notify: noop, era, ...(user ? { user } : {}) };
      await dispatcher.handle(message, envelope);
      sendStatus(res, 202);
      return;
    }
    const responder = new PostResponder(res, sse, options.keepaliveMs);
    if (entry && !fresh) responder.headers = { [kSessionHeader]: session.id };
    const envelope: RequestEnvelope = {
      transport: 'streamable-http',
      session,
      headers,
      notify: responder.notify,
      onDisconnect: responder.onDisconnect,
      era,
      ...(user ? { user } : {}),
      ...(protocol.version ? { version: protocol.version } : {}),
    };
    const reply = await dispatcher.handleRequest(message, envelope);
    if (fresh && entry && session.negotiated) {
      sessions.register(entry);
      responder.headers = { [kSessionHeader]: session.id };
    }
    responder.finish(reply);
  }

  function get(req: IncomingMessage, res: ServerResponse, user: UserContext | undefined): void {
    if (stateless || headerEra(req.headers) === 'modern') {
      sendFailure(res, new Errors.MXCP_E_MCP_HTTP_METHOD({ method: 'GET', detail: 'needs a stateful legacy-era session' }), {
        headers: { allow: 'POST' },
      });
      return;
    }
    const sid = req.headers[kSessionHeader];
    if (typeof sid !== 'string') {
      sendFailure(res, new Errors.MXCP_E_MCP_SESSION_REQUIRED());
      return;
    }
    const entry = sessions.get(sid, ownerOf(user));
    if (!entry) {
      sendFailure(res, new Errors.MXCP_E_MCP_SESSION_NOT_FOUND());
      return;
    }
    if (!req.headers.accept?.includes('text/event-stream')) {
      sendFailure(res, new Errors.MXCP_E_MCP_NOT_ACCEPTABLE());
      return;
    }
    if (entry.stream && !entry.stream.closed) {
      sendFailure(res, new Errors.MXCP_E_MCP_STREAM_CONFLICT());
      return;
    }
    const stream = new SseStream(res, options.keepaliveMs, { [kSessionHeader]: sid });
    entry.stream = stream;
    entry.session.push = (m) => stream.send(JSON.stringify(m));
    res.once('close', () => {
      if (entry.stream !== stream) return;
      entry.stream = undefined;
      entry.session.push = undefined;
    });
  }

  function del(req: IncomingMessage, res: ServerResponse, user: UserContext | undefined): void {
    if (stateless || headerEra(req.headers) === 'modern') {
      sendFailure(res, new Errors.MXCP_E_MCP_HTTP_METHOD({ method: 'DELETE', detail: 'needs a stateful legacy-era session' }), {
        headers: { allow: 'POST' },
      });
      return;
    }
    const sid = req.headers[kSessionHeader];
    if (typeof sid !== 'string') {
      sendFailure(res, new Errors.MXCP_E_MCP_SESSION_REQUIRED());
      return;
    }
    if (!sessions.delete(sid, ownerOf(user))) {
      sendFailure(res, new Errors.MXCP_E_MCP_SESSION_NOT_FOUND());
      return;
    }
    sendStatus(res, 200);
  }

  return async (req, res, user) => {
    try {
      if (req.method === 'POST') await post(req, res, user);
      else if (req.method === 'GET') get(req, res, user);
      else if (req.method === 'DELETE') del(req, res, user);
      else
        sendFailure(res, new Errors.MXCP_E_MCP_HTTP_METHOD({ method: req.method ?? '?', detail: 'on /mcp' }), {
          headers: { allow: 'GET, POST, DELETE' },
        });
    } catch (err) {
      // Coded failures before the dispatcher (406, 413, 415); anything else is a bug, reported as 500.
      sendFailure(res, err);
    }
  };
}

function noop(): void {}

/** The session owner key of an authenticated user (undefined without auth). */
export function ownerOf(user: UserContext | undefined): string | undefined {
  return user ? `${user.provider}:${user.userId}` : undefined;
}
