/**
 * Lifecycle and scoping (spec/fixtures/plugins/lifecycle/): create → init per plugin in kind order, ready
 * once the generation is built, close in reverse order with a time limit; one child container per plugin per
 * generation whose tokens (config, info, logger, other kinds' instances) resolve without emitted metadata;
 * a pino child logger bound to { plugin, kind }.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { kTokenStore } from '../sdk/plugin-tokens.js';
import { build, captureLogger, kFixtures, pluginEnv } from './plugins.helpers.js';
import { type TempProject, tempProject } from './support/project.js';

let project: TempProject | undefined;

afterEach(() => {
  project?.remove();
  project = undefined;
});

function setUp(opts: { hangOnClose?: boolean; extraPath?: string } = {}) {
  project = tempProject();
  const events = project.path('events.log');
  const config = [
    'mxcp: 1',
    'plugins:',
    '  config:',
    '    fixture-lifecycle-store:',
    `      events: ${events}`,
    '    fixture-lifecycle-provider:',
    `      events: ${events}`,
    `      hang_on_close: ${opts.hangOnClose ? 'true' : 'false'}`,
    '',
  ].join('\n');
  const pluginPath = [join(kFixtures, 'lifecycle'), ...(opts.extraPath ? [opts.extraPath] : [])].join(':');
  const env = pluginEnv({ MXCP_PLUGIN_PATH: pluginPath, MXCP_CONFIG_PATH: project.write('config.yml', config) });
  const read = () => {
    try {
      return readFileSync(events, 'utf8').trim().split('\n');
    } catch {
      return [];
    }
  };
  return { project, env, read };
}

describe('plugin lifecycle', () => {
  it('init in kind order, ready after the build, close in reverse order with the reason', async () => {
    const { project: p, env, read } = setUp();
    const { generation } = await build(p, env, captureLogger());
    expect(read()).toEqual([
      'create fixture-lifecycle-store token-store label=store',
      'init store',
      'create provider sees store=fixture',
      'init provider',
      'ready store',
      'ready provider',
    ]);
    await generation.close('shutdown');
    expect(read().slice(6)).toEqual(['close provider shutdown', 'close store shutdown']);
  });

  it('gives each plugin a child logger bound to { plugin, kind } and validated config with defaults', async () => {
    const { project: p, env, read } = setUp();
    const log = captureLogger();
    const { generation } = await build(p, env, log);
    await generation.close('command');
    expect(log.lines().find((l) => l.msg === 'store created')).toMatchObject({ plugin: 'fixture-lifecycle-store', kind: 'token-store' });
    expect(read()[0]).toContain('label=store'); // the schema's default, applied
  });

  it('creates a child container per plugin per generation; instances are registered under their kind token', async () => {
    const { project: p, env } = setUp();
    const log = captureLogger();
    const first = await build(p, env, log);
    const second = await build(p, env, log);
    try {
      const a = first.generation.plugins!;
      const b = second.generation.plugins!;
      expect(a.container).not.toBe(b.container);
      expect(a.container.resolve(kTokenStore)).toBe(a.instances('token-store')[0]);
      expect(b.instances('token-store')[0]).not.toBe(a.instances('token-store')[0]);
      const [storeA, providerA] = [a.live('token-store')[0]!, a.live('auth-provider')[0]!];
      expect(storeA.container).not.toBe(providerA.container);
    } finally {
      await first.generation.close('reload');
      await second.generation.close('shutdown');
    }
  });

  it('a close hook that hangs is cut off at the hook timeout and the others still close', async () => {
    const { project: p, env, read } = setUp({ hangOnClose: true });
    const log = captureLogger();
    const { generation } = await build(p, env, log);
    const started = Date.now();
    await generation.close('shutdown');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(read().slice(-2)).toEqual(['close provider shutdown', 'close store shutdown']);
    expect(log.lines().find((l) => l.code === 'MXCP_E_PLUGIN_TIMEOUT')).toMatchObject({ plugin: 'fixture-lifecycle-provider' });
  });

  it('a failed build closes what it had initialised, in reverse order', async () => {
    const { project: p, env, read } = setUp({ extraPath: join(kFixtures, 'failures', 'init-throws') });
    await expect(build(p, env, captureLogger())).rejects.toMatchObject({ code: 'MXCP_E_PLUGIN_INIT_FAILED' });
    expect(read().slice(-2)).toEqual(['close provider failed-build', 'close store failed-build']);
    expect(read()).not.toContain('ready store');
  });
});
