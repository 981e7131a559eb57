/**
 * The one MCP dispatcher behind every transport. Per request:
 *
 *   era + version (envelope, `_meta`) ─> method table of the era ─> acquire the current generation
 *     ─> handler (catalog of that generation, precomputed) ─> modern-era result fields ─> release
 *     └─ any throw ─> wire-errors.ts (the one mapping to JSON-RPC code + HTTP status)
 *
 * Nothing heavy is built per request: the catalog (schemas, list pages) belongs to the generation. The
 * generation comes from a holder, so a supervisor can swap it between requests; a request keeps the one
 * it started on until it ends.
 */
import { Errors } from '../../sdk/errors/index.js';
import type { Generation } from '../generation/generation.js';
import type { Logger } from '../logging/logger.js';
import { CatalogCache } from './catalog/catalog.js';
import type { InvokerFactory } from './catalog/invoker.js';
import type { LogThreshold } from './client-channel.js';
import {
  errorResponse,
  type IncomingMessage,
  type JsonRpcNotification,
  type JsonRpcRequest,
  RawResult,
  resultResponse,
} from './jsonrpc.js';
import { executionContext, type MethodCall, type RequestEnvelope } from './method-call.js';
import { methodSpec } from './methods/method-table.js';
import { type Era, isLegacyVersion } from './protocol-version.js';
import { metaVersionOf, validateModernMeta } from './request-meta.js';
import { modernResult } from './result-meta.js';
import { SessionRegistry } from './session-registry.js';
import { toWireFailure } from './wire-errors.js';

export interface GenerationHolder {
  current(): Generation;
}

export interface DispatcherOptions {
  readonly holder: GenerationHolder;
  readonly logger: Logger;
  /** `--sql-tools`; undefined follows the site config. */
  readonly sqlTools?: boolean;
  /** Entries per page of the list methods. */
  readonly pageSize?: number;
  /** How calls reach the engine; `mxcp serve` passes an audited invoker. */
  readonly invoker?: InvokerFactory;
}

/** A serialized response and the HTTP status to send it with. */
export interface Reply {
  readonly status: number;
  readonly body: string;
  /** The client cancelled: over stdio nothing is sent (the spec's SHOULD NOT respond). */
  readonly cancelled?: boolean;
}

export const kDefaultPageSize = 500;

export class McpDispatcher {
  /** Live legacy-era sessions; a supervisor calls `sessions.listChanged()` after swapping generations. */
  readonly sessions = new SessionRegistry();
  readonly #holder: GenerationHolder;
  readonly #logger: Logger;
  readonly #catalogs: CatalogCache;
  readonly #running = new Set<AbortController>();
  #pending = 0;
  #idle: (() => void) | undefined;
  #closing = false;

  constructor(options: DispatcherOptions) {
    this.#holder = options.holder;
    this.#logger = options.logger;
    this.#catalogs = new CatalogCache({
      sqlTools: options.sqlTools,
      pageSize: options.pageSize ?? kDefaultPageSize,
      invoker: options.invoker,
    });
  }

  /** Requests being handled right now. */
  get pending(): number {
    return this.#pending;
  }

  /** Any message: requests get a reply; notifications and client responses get none. */
  async handle(message: IncomingMessage, envelope: RequestEnvelope): Promise<Reply | undefined> {
    if (message.kind === 'request') return this.handleRequest(message, envelope);
    if (message.kind === 'notification') this.handleNotification(message, envelope);
    return undefined;
  }

  async handleRequest(request: JsonRpcRequest, envelope: RequestEnvelope): Promise<Reply> {
    let era: Era = envelope.era ?? 'legacy';
    this.#pending++;
    let tracked: Tracked | undefined;
    let release: (() => void) | undefined;
    try {
      if (this.#closing) throw new Errors.MXCP_E_MCP_SHUTTING_DOWN();
      era = envelope.era ?? eraOf(request);
      let version: string;
      let logThreshold: LogThreshold;
      if (era === 'modern') {
        const meta = validateModernMeta(request.params);
        version = meta.protocolVersion;
        logThreshold = meta.logLevel ?? 'off';
      } else {
        version = envelope.version ?? envelope.session.protocolVersion;
        logThreshold = envelope.session.logLevel;
      }
      const spec = methodSpec(era, request.method);
      if (!spec) throw new Errors.MXCP_E_MCP_METHOD_NOT_FOUND({ method: request.method });
      if (spec.cancellable) tracked = this.#track(request, envelope);
      const generation = this.#holder.current();
      release = generation.acquire();
      const call: MethodCall = {
        id: request.id,
        method: request.method,
        params: request.params ?? {},
        era,
        version,
        generation,
        catalog: this.#catalogs.get(generation),
        envelope,
        logThreshold,
        signal: tracked?.controller.signal,
        logger: this.#logger,
        executionContext: (endpoint) => executionContext(call, endpoint),
      };
      let result = await spec.handler(call);
      if (era === 'modern' && !(result instanceof RawResult) && !Object.hasOwn(result as object, 'resultType')) {
        result = modernResult(result as Record<string, unknown>, spec.cache);
      }
      return { status: 200, body: resultResponse(request.id, result) };
    } catch (err) {
      const failure = toWireFailure(err, era);
      if (!failure.expected) this.#logger.error({ err, method: request.method }, 'MCP request failed unexpectedly');
      const reason: unknown = tracked?.controller.signal.reason;
      const cancelled = tracked?.controller.signal.aborted === true && (reason as { code?: string } | undefined)?.code === kCancelled;
      return { status: failure.status, body: errorResponse(request.id, failure), ...(cancelled ? { cancelled } : {}) };
    } finally {
      release?.();
      tracked?.done();
      if (--this.#pending === 0) this.#idle?.();
    }
  }

  handleNotification(message: JsonRpcNotification, envelope: RequestEnvelope): void {
    const { session } = envelope;
    switch (message.method) {
      case 'notifications/initialized':
        session.initialized = true;
        return;
      case 'notifications/cancelled': {
        const id = message.params?.requestId;
        if (typeof id === 'string' || typeof id === 'number') session.cancel(id, message.params?.reason);
        return;
      }
      default:
        // roots/list_changed and future notifications need nothing from this server.
        this.#logger.debug({ method: message.method }, 'MCP notification ignored');
    }
  }

  /** Refuse new requests (MXCP_E_MCP_SHUTTING_DOWN, retryable) from now on. */
  beginShutdown(): void {
    this.#closing = true;
  }

  /**
   * Waits for the requests in flight, up to `deadlineMs`; then aborts the rest with a coded cause and
   * gives them a moment to answer. True when everything finished on its own.
   */
  async drain(deadlineMs: number): Promise<boolean> {
    this.beginShutdown();
    if (this.#pending === 0) return true;
    const settled = new Promise<void>((resolve) => {
      this.#idle = resolve;
    });
    const timedOut = await Promise.race([settled.then(() => false), delay(deadlineMs).then(() => true)]);
    if (!timedOut) return true;
    this.#logger.warn({ pending: this.#pending }, 'drain deadline reached; aborting requests still running');
    for (const c of this.#running) c.abort(new Errors.MXCP_E_MCP_SHUTTING_DOWN());
    await Promise.race([settled, delay(1000)]);
    return false;
  }

  /**
   * An AbortController for a cancellable request, fed by the transport (connection closed) and
   * the session's `notifications/cancelled`. `done` unhooks it from both when the request ends.
   */
  #track(request: JsonRpcRequest, envelope: RequestEnvelope): Tracked {
    const controller = new AbortController();
    this.#running.add(controller);
    const untrack = envelope.session.track(request.id, controller);
    const unlisten = envelope.onDisconnect?.(() => controller.abort(new Errors.MXCP_E_MCP_CANCELLED()));
    return {
      controller,
      done: () => {
        untrack();
        unlisten?.();
        this.#running.delete(controller);
      },
    };
  }
}

interface Tracked {
  readonly controller: AbortController;
  readonly done: () => void;
}

const kCancelled = Errors.MXCP_E_MCP_CANCELLED.code;

/** Modern when `_meta` declares a version that is not a legacy one (legacy versions use initialize). */
function eraOf(request: JsonRpcRequest): Era {
  const declared = metaVersionOf(request.params);
  if (declared === undefined) return 'legacy';
  return typeof declared === 'string' && isLegacyVersion(declared) ? 'legacy' : 'modern';
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
