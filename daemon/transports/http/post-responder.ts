/**
 * The response to one POSTed request, JSON or SSE, decided lazily:
 *
 *   the reply comes first                 -> one application/json response (the fast, common case)
 *   a notification comes first, and the   -> switch to text/event-stream: notifications as they come,
 *   client accepts SSE                       then the reply, then the stream ends
 *   a notification, no SSE accepted       -> the notification is dropped (JSON cannot carry it)
 *
 * If the connection closes before the reply, disconnect listeners run (the dispatcher aborts the call:
 * nothing could deliver its result, there is no event store to resume from).
 */
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Reply } from '../../mcp/dispatcher.js';
import type { OutgoingNotification } from '../../mcp/jsonrpc.js';
import { sendJson } from './respond.js';
import { SseStream } from './sse-stream.js';

export class PostResponder {
  readonly #res: ServerResponse;
  readonly #sseAllowed: boolean;
  readonly #keepaliveMs: number;
  #sse: SseStream | undefined;
  #finished = false;
  #listeners: (() => void)[] | undefined;
  /** Extra response headers (Mcp-Session-Id), settable until the first byte goes out. */
  headers: OutgoingHttpHeaders | undefined;

  constructor(res: ServerResponse, sseAllowed: boolean, keepaliveMs: number) {
    this.#res = res;
    this.#sseAllowed = sseAllowed;
    this.#keepaliveMs = keepaliveMs;
  }

  readonly notify = (message: OutgoingNotification): void => {
    if (this.#finished || !this.#sseAllowed) return;
    this.#sse ??= new SseStream(this.#res, this.#keepaliveMs, this.headers);
    this.#sse.send(JSON.stringify(message));
  };

  readonly onDisconnect = (listener: () => void): (() => void) => {
    if (!this.#listeners) {
      this.#listeners = [];
      this.#res.once('close', () => {
        if (this.#finished) return;
        for (const l of this.#listeners ?? []) l();
      });
    }
    this.#listeners.push(listener);
    return () => {
      const list = this.#listeners;
      if (list) list.splice(list.indexOf(listener) >>> 0, 1);
    };
  };

  finish(reply: Reply): void {
    this.#finished = true;
    if (this.#sse) {
      this.#sse.send(reply.body);
      this.#sse.close();
      return;
    }
    if (this.#res.destroyed) return;
    sendJson(this.#res, reply.status, reply.body, this.headers);
  }
}
