/**
 * One Server-Sent Events response: JSON-RPC messages as `event: message` (data is one line: JSON text has
 * no raw newlines), comment keep-alives so that proxies do not cut an idle stream (the guide's nginx
 * closes at 60 s), and `X-Accel-Buffering: no` so that nginx forwards each event as it is written.
 */
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';

export class SseStream {
  readonly #res: ServerResponse;
  readonly #keepalive: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(res: ServerResponse, keepaliveMs: number, headers?: OutgoingHttpHeaders) {
    this.#res = res;
    res.writeHead(200, {
      ...headers,
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
    });
    res.flushHeaders();
    if (keepaliveMs > 0) {
      this.#keepalive = setInterval(() => this.#write(': keepalive\n\n'), keepaliveMs);
      this.#keepalive.unref();
    }
    res.once('close', () => this.#stop());
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Sends one message (already serialized JSON). */
  send(json: string, event = 'message'): void {
    this.#write(`event: ${event}\ndata: ${json}\n\n`);
  }

  close(): void {
    if (this.#closed) return;
    this.#stop();
    this.#res.end();
  }

  #write(text: string): void {
    if (!this.#closed && !this.#res.writableEnded) this.#res.write(text);
  }

  #stop(): void {
    this.#closed = true;
    clearInterval(this.#keepalive);
  }
}
