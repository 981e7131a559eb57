/**
 * The live legacy-era sessions of every transport, so that a generation swap can tell them their lists
 * changed (`notifications/tools/list_changed`, ...) on their own channel: stdout for stdio, the GET stream
 * of a Streamable HTTP session, the SSE transport's stream. Sessions without a channel miss the
 * notification and see the new lists on their next request.
 */
import { notification } from './jsonrpc.js';
import type { McpSession } from './session.js';

export type ListKind = 'tools' | 'resources' | 'prompts';

export class SessionRegistry {
  readonly #sessions = new Set<McpSession>();

  add(session: McpSession): void {
    this.#sessions.add(session);
  }

  delete(session: McpSession): void {
    this.#sessions.delete(session);
  }

  get size(): number {
    return this.#sessions.size;
  }

  /** Sends `notifications/<kind>/list_changed` to every initialized session that has a channel. */
  listChanged(kinds: readonly ListKind[] = ['tools', 'resources', 'prompts']): void {
    for (const session of this.#sessions) {
      if (!session.negotiated || !session.push) continue;
      for (const kind of kinds) session.push(notification(`notifications/${kind}/list_changed`, {}));
    }
  }
}
