import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import type { ResolveContext, SecretBackend } from '../../sdk/secret-backend.js';

/** Secrets are small; a larger file is almost certainly a wrong path. */
const kMaxSecretFileBytes = 1024 * 1024;

/**
 * `file:///abs/path` or `file://relative/path` (relative to the working directory, as MXCP). The content is
 * read as UTF-8 and stripped of surrounding whitespace.
 */
export class FileSecretBackend implements SecretBackend {
  readonly name = 'file';
  readonly mode = 'whole' as const;

  matches(value: string): boolean {
    return value.startsWith('file://');
  }

  async resolve(value: string, ctx: ResolveContext): Promise<string> {
    const raw = value.slice('file://'.length);
    if (raw.length === 0) throw new Error('file:// reference has no path');
    const path = isAbsolute(raw) ? raw : resolve(ctx.cwd, raw);
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(path);
    } catch {
      throw new Error(`File not found: ${path}`);
    }
    if (!info.isFile()) throw new Error(`Path is not a file: ${path}`);
    if (info.size > kMaxSecretFileBytes) throw new Error(`File is larger than ${kMaxSecretFileBytes} bytes: ${path}`);
    return (await readFile(path, 'utf8')).trim();
  }
}

export default function createBackend(): SecretBackend {
  return new FileSecretBackend();
}
