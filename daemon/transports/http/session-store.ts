/**
 * Legacy-era HTTP sessions (`Mcp-Session-Id`, and the SSE transport's `session_id`): created by an
 * `initialize` (or a GET /sse), ended by DELETE, by closing the SSE stream, by idle expiry or by shutdown.
 * Ids are random UUIDs (visible ASCII, unguessable). A session that is idle past the TTL, has no open
 * stream and nothing in flight is closed; its next request gets 404 and the client re-initializes.
 */
import { randomUUID } from 'node:crypto';
import { McpSession } from '../../mcp/session.js';
import type { SessionRegistry } from '../../mcp/session-registry.js';
import type { SseStream } from './sse-stream.js';

export interface HttpSession {
  readonly session: McpSession;
  /** The GET stream (streamable HTTP) or the event stream (SSE transport), while open. */
  stream: SseStream | undefined;
  /** With auth: the user who opened it (`provider:userId`); another user's requests do not find it. */
  readonly owner?: string;
}

export class SessionStore {
  readonly #sessions = new Map<string, HttpSession>();
  readonly #idleMs: number;
  readonly #sweeper: NodeJS.Timeout;
  readonly #registry: SessionRegistry | undefined;

  constructor(idleMs: number, registry?: SessionRegistry) {
    this.#idleMs = idleMs;
    this.#registry = registry;
    this.#sweeper = setInterval(() => this.sweep(), Math.min(60_000, Math.max(1000, idleMs / 2)));
    this.#sweeper.unref();
  }

  get size(): number {
    return this.#sessions.size;
  }

  /** A new session, not yet registered (an initialize that fails leaves nothing behind). */
  create(owner?: string): HttpSession {
    return { session: new McpSession(randomUUID()), stream: undefined, ...(owner !== undefined ? { owner } : {}) };
  }

  register(entry: HttpSession): void {
    if (!entry.session.id) return;
    this.#sessions.set(entry.session.id, entry);
    this.#registry?.add(entry.session);
  }

  /**
   * The live session with this id, touched; undefined when unknown, ended, expired, or opened by another
   * user (a session id is no credential: MCP security best practices bind it to the user).
   */
  get(id: string, owner?: string): HttpSession | undefined {
    const entry = this.#sessions.get(id);
    if (!entry || entry.owner !== owner) return undefined;
    entry.session.lastSeen = Date.now();
    return entry;
  }

  delete(id: string, owner?: string): boolean {
    const entry = this.#sessions.get(id);
    if (!entry || entry.owner !== owner) return false;
    this.#sessions.delete(id);
    this.#registry?.delete(entry.session);
    entry.session.close();
    entry.stream?.close();
    return true;
  }

  sweep(now = Date.now()): void {
    for (const [id, entry] of this.#sessions) {
      const busy = (entry.stream && !entry.stream.closed) || entry.session.inFlightCount > 0;
      if (!busy && now - entry.session.lastSeen > this.#idleMs) this.delete(id);
    }
  }

  /** Shutdown: ends every session and its stream. */
  closeAll(): void {
    clearInterval(this.#sweeper);
    for (const id of [...this.#sessions.keys()]) this.delete(id);
  }
}
