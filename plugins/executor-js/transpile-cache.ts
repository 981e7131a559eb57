/**
 * TypeScript transpiled once, in the main thread, for every worker of every generation.
 *
 * Each worker's loader hooks (loader-hooks.ts) used to transpile with esbuild on their own: every worker
 * thread loaded esbuild and started its own esbuild service process, on every reload. Measured on the 2-core
 * machine, that start-up was most of a reload's CPU. Now the main thread transpiles the endpoint modules and
 * the TypeScript files beside them through one long-lived esbuild service, keeps the output keyed by path and
 * content hash (a reload re-transpiles only what changed), and hands the table to the workers; their hooks use
 * an entry when the file's hash still matches and fall back to esbuild for anything else.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, extname, join } from 'node:path';
import { transpileOptions } from './transpile-options.js';

export interface TranspiledModule {
  readonly hash: string;
  readonly code: string;
}

const kTypeScript = new Set(['.ts', '.mts']);
const kMaxFiles = 500;
/** Process-wide: outlives generations, so a reload pays only for changed files. */
const cache = new Map<string, TranspiledModule>();

export function sourceHash(source: string): string {
  return createHash('sha1').update(source).digest('hex');
}

/** Transpiled modules for the endpoint files and the TypeScript files in their folders (recursively, bounded). */
export async function transpileForWorkers(endpointFiles: readonly string[]): Promise<Record<string, TranspiledModule>> {
  const files = new Set<string>();
  for (const dir of new Set(endpointFiles.map((f) => dirname(f)))) await collect(dir, files);
  for (const f of endpointFiles) if (kTypeScript.has(extname(f))) files.add(f);
  const out: Record<string, TranspiledModule> = {};
  const { transform } = await import('esbuild');
  await Promise.all(
    [...files].map(async (path) => {
      let source: string;
      try {
        source = await readFile(path, 'utf8');
      } catch {
        return;
      }
      const hash = sourceHash(source);
      let entry = cache.get(path);
      if (entry?.hash !== hash) {
        try {
          const result = await transform(source, transpileOptions(path));
          entry = { hash, code: result.code };
          cache.set(path, entry);
        } catch {
          return; // a syntax error: the worker's own transpile reports it with its position, as before
        }
      }
      out[path] = entry;
    }),
  );
  return out;
}

async function collect(dir: string, files: Set<string>): Promise<void> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    if (files.size >= kMaxFiles) return;
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const path = join(dir, e.name);
    if (e.isDirectory()) await collect(path, files);
    else if (kTypeScript.has(extname(e.name))) files.add(path);
  }
}
