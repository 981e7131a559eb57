/**
 * `vault://<path>#<key>` (MXCP: the whole value starts with `vault://`, `#key` is required). Which mount
 * the path lives on: with `vault.mount_point` set, the whole path is inside that mount; otherwise its first
 * segment is the mount (`vault://secret/app/db#password` reads `app/db` on mount `secret`). MXCP always
 * used the `secret` mount and so read `secret/data/secret/app/db` [quirk, fixed]; a path of one segment
 * still reads from mount `secret`.
 */

export interface VaultReference {
  readonly mount: string;
  /** Path inside the mount. */
  readonly path: string;
  readonly key: string;
}

export function parseVaultReference(value: string, mountPoint: string | undefined): VaultReference {
  const m = /^vault:\/\/([^#]+)(?:#(.+))?$/.exec(value);
  if (!m?.[1]) throw new Error(`Vault URL '${value}' is malformed (expected vault://path#key)`);
  if (!m[2]) throw new Error(`Vault URL '${value}' names no key (expected vault://path#key)`);
  const segments = m[1].split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '..' || s === '.')) throw new Error(`Vault URL '${value}' has a relative path segment`);
  if (mountPoint) return { mount: mountPoint.replace(/^\/+|\/+$/g, ''), path: segments.join('/'), key: m[2] };
  if (segments.length === 1) return { mount: 'secret', path: segments[0] as string, key: m[2] };
  return { mount: segments[0] as string, path: segments.slice(1).join('/'), key: m[2] };
}
