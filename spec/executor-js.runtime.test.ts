// The runtime API outside the executor (main thread, no slot): coded refusal for db, harmless defaults elsewhere.
import { describe, expect, it } from 'vitest';
import { Errors } from '../sdk/errors/index.js';
import { config, db, getUserContext, kRuntimeSlot, mcp, onInit, onShutdown, plugins } from '../sdk/runtime.js';

describe('executor-js: runtime API outside the executor', () => {
  it('refuses db.execute with the MXCP no-context error', async () => {
    expect((globalThis as Record<symbol, unknown>)[kRuntimeSlot]).toBeUndefined();
    const err = await db.execute('SELECT 1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Errors.MXCP_E_EXEC_NO_CONTEXT);
    expect((err as Error).message).toBe('No execution context available - function not called from MXCP executor');
  });

  it('answers config, user and plugin questions with empty values, and mcp calls do nothing', () => {
    expect(config.getSecret('api')).toBeUndefined();
    expect(config.getSetting('project', 'fallback')).toBe('fallback');
    expect(config.siteConfig).toBeUndefined();
    expect(config.userConfig).toBeUndefined();
    expect(getUserContext()).toBeUndefined();
    expect(plugins.get('x')).toBeUndefined();
    expect(plugins.list()).toEqual([]);
    expect(() => {
      mcp.info('hello', { a: 1 });
      mcp.progress(1, 2, 'half');
    }).not.toThrow();
  });

  it('returns the hook from onInit and onShutdown', () => {
    const hook = () => undefined;
    expect(onInit(hook)).toBe(hook);
    expect(onShutdown(hook)).toBe(hook);
  });
});
