/**
 * What the legacy era remembers between requests of one client: the negotiated version, the client's
 * capabilities, the level set by `logging/setLevel`, and the requests in flight (so that
 * `notifications/cancelled` can abort one). stdio has one session for the process; stateful HTTP one per
 * `Mcp-Session-Id`; stateless HTTP a throwaway one per request. Modern-era requests carry all of this in
 * their `_meta` and use no session state.
 */

import { Errors } from '../../sdk/errors/index.js';
import type { ClientLogLevel } from '../../sdk/execution-context.js';
import type { OutgoingNotification, RequestId } from './jsonrpc.js';
import { kDefaultLegacyVersion } from './protocol-version.js';

export class McpSession {
  /** Undefined for stdio and stateless sessions. */
  readonly id: string | undefined;
  protocolVersion: string = kDefaultLegacyVersion;
  /** `initialize` answered. */
  negotiated = false;
  /** `notifications/initialized` received. */
  initialized = false;
  clientCapabilities: unknown;
  clientInfo: unknown;
  /** Minimum level of `notifications/message`; undefined sends every level (no `logging/setLevel` yet). */
  logLevel: ClientLogLevel | undefined;
  /** Last time a request used this session (idle expiry of HTTP sessions). */
  lastSeen = Date.now();
  /**
   * Where notifications unrelated to a request go (list changed): stdout for stdio, the GET stream for
   * HTTP sessions. Undefined when there is no such channel (then they are dropped).
   */
  push: ((message: OutgoingNotification) => void) | undefined;
  readonly #inFlight = new Map<RequestId, AbortController>();
  #closed = false;

  constructor(id?: string) {
    this.id = id;
  }

  get closed(): boolean {
    return this.#closed;
  }

  get inFlightCount(): number {
    return this.#inFlight.size;
  }

  /** Registers a cancellable request; the returned function unregisters it. */
  track(id: RequestId, controller: AbortController): () => void {
    this.#inFlight.set(id, controller);
    return () => {
      if (this.#inFlight.get(id) === controller) this.#inFlight.delete(id);
    };
  }

  /** `notifications/cancelled`: aborts the request if it is still running (unknown ids are ignored, per spec). */
  cancel(id: RequestId, reason: unknown): void {
    this.#inFlight.get(id)?.abort(new Errors.MXCP_E_MCP_CANCELLED(undefined, { cause: reason }));
  }

  /** Ends the session (DELETE, expiry, stdin EOF): aborts what is still running. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.push = undefined;
    for (const controller of this.#inFlight.values()) controller.abort(new Errors.MXCP_E_MCP_CANCELLED());
    this.#inFlight.clear();
  }
}
