/**
 * The secret backends a generation resolves references with. The plugin loader contributes further
 * backends (vault, 1Password, third-party); the built-in env and file backends are always present.
 */
import createEnvBackend from '../../plugins/secret-env/index.js';
import createFileBackend from '../../plugins/secret-file/index.js';
import type { SecretBackend } from '../../sdk/secret-backend.js';

export function builtinSecretBackends(): SecretBackend[] {
  return [createEnvBackend(), createFileBackend()];
}
