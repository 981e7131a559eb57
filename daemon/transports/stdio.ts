/**
 * The stdio transport: newline-delimited JSON-RPC on stdin/stdout, one session for the process. stdout
 * carries nothing but JSON-RPC messages (logs go to stderr through pino). Requests run concurrently and
 * answer as they finish. EOF on stdin means the client is gone: the transport reports `ended` and the
 * shutdown path drains the requests still running.
 */
import type { Readable, Writable } from 'node:stream';
import { Errors } from '../../sdk/errors/index.js';
import type { Logger } from '../logging/logger.js';
import type { McpDispatcher } from '../mcp/dispatcher.js';
import { classifyMessage, errorResponse, type OutgoingNotification, parseJson, requestIdOf } from '../mcp/jsonrpc.js';
import type { RequestEnvelope } from '../mcp/method-call.js';
import { McpSession } from '../mcp/session.js';
import { toWireFailure } from '../mcp/wire-errors.js';
import { kMaxMessageBytes } from './limits.js';

export interface StdioOptions {
  readonly dispatcher: McpDispatcher;
  readonly logger: Logger;
  readonly input?: Readable;
  readonly output?: Writable;
}

export interface StdioTransport {
  /** Resolves when stdin ends (or fails). */
  readonly ended: Promise<void>;
  /** Stops reading; requests in flight still answer. */
  close(): void;
}

export function serveStdio(options: StdioOptions): StdioTransport {
  const { dispatcher, logger } = options;
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stdout;
  const session = new McpSession();
  const write = (line: string) => {
    if (!output.writableEnded && !output.destroyed) output.write(`${line}\n`);
  };
  const send = (message: OutgoingNotification) => write(JSON.stringify(message));
  session.push = send;
  dispatcher.sessions.add(session);
  const envelope: RequestEnvelope = { transport: 'stdio', session, notify: send };

  const handleLine = async (line: string) => {
    let parsed: unknown;
    try {
      parsed = parseJson(line);
      const message = classifyMessage(parsed);
      const reply = await dispatcher.handle(message, envelope);
      if (reply && !reply.cancelled) write(reply.body);
    } catch (err) {
      // Only framing errors get here (the dispatcher maps its own): answer with the id when there is one.
      write(errorResponse(requestIdOf(parsed), toWireFailure(err)));
    }
  };

  let buffered = '';
  let oversized = false;
  input.setEncoding('utf8');
  const onData = (chunk: string) => {
    let start = 0;
    for (let nl = chunk.indexOf('\n'); nl !== -1; nl = chunk.indexOf('\n', start)) {
      const line = buffered + chunk.slice(start, nl);
      buffered = '';
      start = nl + 1;
      if (oversized) {
        oversized = false;
        continue;
      }
      if (line.trim() !== '') void handleLine(line.endsWith('\r') ? line.slice(0, -1) : line);
    }
    if (oversized) return;
    buffered += chunk.slice(start);
    // A line past the limit (counted in characters: cheap, and never more than bytes) is dropped whole,
    // up to its newline, with one error: input is never buffered without bound.
    if (buffered.length > kMaxMessageBytes) {
      buffered = '';
      oversized = true;
      write(errorResponse(null, toWireFailure(new Errors.MXCP_E_MCP_BODY_TOO_LARGE({ limit: kMaxMessageBytes }))));
    }
  };
  input.on('data', onData);

  const ended = new Promise<void>((resolve) => {
    input.once('end', () => resolve());
    input.once('close', () => resolve());
    input.once('error', (err) => {
      logger.warn({ err }, 'stdin failed; treating it as end of input');
      resolve();
    });
  });
  output.on('error', (err: NodeJS.ErrnoException) => {
    // The client closed our stdout: nothing more can be delivered; the end of stdin follows.
    if (err.code !== 'EPIPE') logger.warn({ err }, 'stdout failed');
  });

  return {
    ended,
    close() {
      input.off('data', onData);
      input.pause();
      session.push = undefined;
      dispatcher.sessions.delete(session);
    },
  };
}
