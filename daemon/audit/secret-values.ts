/**
 * Which resolved reference values are secrets (and so never appear in an audit record). Not every value a
 * reference resolved to is secret: `port: ${PORT}` is not, and redacting every "8000" in every record
 * would only make the log useless. A value counts as secret when it came from
 *
 *   - a secret's parameters: `projects.<p>.profiles.<p>.secrets[i].parameters.*` (all of them), or
 *   - a key whose name says it holds a credential (`client_secret`, `password`, `api_key`, `token`,
 *     `encryption_key`, ...) anywhere in either config file,
 *
 * and is not a number or a boolean word.
 */
import type { ProjectConfig } from '../config/project.js';
import type { ResolvedValue } from '../config/references.js';
import type { KeyPath } from '../config/yaml-file.js';

const kCredentialKey = /secret|passw|pwd|token|credential|api[_-]?key|private[_-]?key|access[_-]?key|encryption[_-]?key|^key$|_key$/i;
const kNotSecret = /^(?:[-+]?\d+(?:\.\d+)?|true|false|yes|no|on|off|null|none)$/i;

const cache = new WeakMap<ProjectConfig, readonly string[]>();

/** The secret values of a loaded configuration (each generation has its own), computed once. */
export function projectSecrets(project: ProjectConfig): readonly string[] {
  let secrets = cache.get(project);
  if (!secrets) {
    secrets = secretValues(project.resolved);
    cache.set(project, secrets);
  }
  return secrets;
}

export function secretValues(resolved: readonly ResolvedValue[]): string[] {
  const out = new Set<string>();
  for (const r of resolved) {
    const value = r.value.trim();
    if (value === '' || kNotSecret.test(value)) continue;
    if (isSecretPath(r.path)) out.add(r.value);
  }
  // Longest first: a secret that contains another must be replaced whole.
  return [...out].sort((a, b) => b.length - a.length);
}

function isSecretPath(path: KeyPath): boolean {
  if (path[0] === 'projects' && path[2] === 'profiles' && path[4] === 'secrets' && path[6] === 'parameters') return true;
  // The last named key: `auth.github.client_secret`, `models.m.api_key`; a list index names nothing.
  for (let i = path.length - 1; i >= 0; i--) {
    const seg = path[i];
    if (typeof seg === 'string') return seg !== 'secrets' && kCredentialKey.test(seg);
  }
  return false;
}
