/**
 * Secret backends for one configuration load. They are plugins like any other, found by the same
 * discovery; since resolving the configuration is what needs them, they are loaded first, from the raw
 * files, and live exactly as long as that load: init → resolve every reference → ready → close. A reload
 * loads them afresh, so rotated secrets are read again.
 */
import type { SecretBackend } from '../../sdk/secret-backend.js';
import type { Logger } from '../logging/logger.js';
import { discoverPlugins } from './discover.js';
import { configBlock } from './plugin-config.js';
import { PluginSet } from './plugin-set.js';
import { type RawConfigOptions, readRawPluginConfig } from './raw-config.js';
import { type Needs, schemesIn } from './requirements.js';

export interface SecretBackendSession {
  /** Live backends: inline ones are tried first by the resolver anyway; whole-value ones in discovery order. */
  readonly backends: readonly SecretBackend[];
  /** Call once every reference resolved. */
  ready(): Promise<void>;
  /** Call when the load is over (success or not). */
  close(): Promise<void>;
}

export interface SecretPhaseOptions extends RawConfigOptions {
  readonly root: string;
  readonly logger: Logger;
}

export async function openSecretBackends(options: SecretPhaseOptions): Promise<SecretBackendSession> {
  const raw = await readRawPluginConfig(options);
  const records = await discoverPlugins({
    cwd: options.cwd,
    ...(raw.pluginsDir ? { projectPluginsDir: raw.pluginsDir } : {}),
    pluginPath: options.env.MXCP_PLUGIN_PATH,
    packages: raw.packages,
    packageBase: options.root,
  });
  const set = new PluginSet(records, options.logger.child({ component: 'plugins' }));
  const needs: Needs = { schemes: schemesIn(raw.strings) };
  try {
    for (const record of set.recordsOf('secret-backend')) {
      await set.load({ record, kind: 'secret-backend', config: configBlock(record, raw.blocks), needs });
    }
  } catch (err) {
    await set.close('failed-build');
    throw err;
  }
  return {
    backends: set.instances('secret-backend'),
    ready: () => set.ready(needs),
    close: () => set.close('config-loaded'),
  };
}
