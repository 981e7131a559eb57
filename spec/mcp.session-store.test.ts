/** Legacy-era HTTP sessions (daemon/transports/http/session-store.ts): registration, idle expiry, DELETE. */
import { describe, expect, it } from 'vitest';
import { SessionStore } from '../daemon/transports/http/session-store.js';

describe('SessionStore', () => {
  it('keeps a created session only once registered', () => {
    const store = new SessionStore(60_000);
    const entry = store.create();
    expect(entry.session.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(store.get(entry.session.id as string)).toBeUndefined();
    store.register(entry);
    expect(store.get(entry.session.id as string)).toBe(entry);
    store.closeAll();
  });

  it('expires idle sessions, but not one with a request in flight', () => {
    const store = new SessionStore(1000);
    const idle = store.create();
    const busy = store.create();
    store.register(idle);
    store.register(busy);
    const untrack = busy.session.track(1, new AbortController());
    store.sweep(Date.now() + 5000);
    expect(store.get(idle.session.id as string)).toBeUndefined();
    expect(idle.session.closed).toBe(true);
    expect(store.get(busy.session.id as string)).toBe(busy);
    untrack();
    store.closeAll();
  });

  it('closing a session aborts what it runs; deleting twice reports the second as unknown', () => {
    const store = new SessionStore(60_000);
    const entry = store.create();
    store.register(entry);
    const controller = new AbortController();
    entry.session.track('r', controller);
    expect(store.delete(entry.session.id as string)).toBe(true);
    expect(controller.signal.aborted).toBe(true);
    expect((controller.signal.reason as { code: string }).code).toBe('MXCP_E_MCP_CANCELLED');
    expect(store.delete(entry.session.id as string)).toBe(false);
    store.closeAll();
  });
});
