/**
 * The secret backends a configuration load resolves references with. No list lives here any more: every
 * backend, the built-in env, file, vault and 1Password ones included, is a `secret-backend` plugin found by
 * discovery (daemon/plugins/), so a third-party backend has exactly the powers of a built-in one.
 */

import { createLogger, type Logger, resolveLogLevel } from '../logging/logger.js';
import { openSecretBackends, type SecretBackendSession } from '../plugins/secret-phase.js';
import type { Env } from './env.js';

export type { SecretBackendSession } from '../plugins/secret-phase.js';

export interface SecretBackendOptions {
  readonly root: string;
  readonly cwd: string;
  readonly env: Env;
  readonly home?: string;
  /** Defaults to a logger at the level the environment asks for (commands that load a config without one). */
  readonly logger?: Logger;
}

export function loadSecretBackends(options: SecretBackendOptions): Promise<SecretBackendSession> {
  const logger = options.logger ?? createLogger(resolveLogLevel({ env: options.env }));
  return openSecretBackends({ ...options, logger });
}
