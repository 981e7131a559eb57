/**
 * Module customization hooks that each executor worker registers (`module.register`) before importing endpoint
 * code. They run on Node's hooks thread for that worker, not in the worker itself.
 *
 * - `mxcp` and `mxcp/sdk` resolve to this package's SDK, so endpoint code needs no `node_modules` of its own and
 *   always shares the runtime state of the executor that loads it.
 * - `.ts` / `.mts` files are transpiled in memory with esbuild (types stripped, enums and namespaces compiled,
 *   inline source map); nothing is written to disk. The main thread has usually done it already for every
 *   worker (transpile-cache.ts); esbuild is loaded here only for files it did not cover. Node 20 has no type stripping of its own, and on newer Node
 *   this keeps one behaviour everywhere.
 * - A relative import that does not exist as written gets the TypeScript-style fallbacks: `./x.js` → `./x.ts`,
 *   `./x.mjs` → `./x.mts`, and `./x` → `./x.ts`, `./x.mts`, `./x.js`, `./x.mjs`, `./x/index.ts`, `./x/index.js`.
 */
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { InitializeHook, LoadHook, ResolveHook } from 'node:module';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transpileOptions } from './transpile-options.js';

export interface LoaderHooksData {
  /** `file:` URL that `mxcp` and `mxcp/sdk` resolve to. */
  sdkUrl: string;
  /** Transpiled by the main thread (transpile-cache.ts): used while the file's content hash matches. */
  transpiled?: Record<string, { hash: string; code: string }>;
}

const kSdkSpecifiers = new Set(['mxcp', 'mxcp/sdk']);
const kTypeScriptExtensions = new Set(['.ts', '.mts']);
const kNoExtensionCandidates = ['.ts', '.mts', '.js', '.mjs', '/index.ts', '/index.js'];

let sdkUrl = '';
let transpiled: Record<string, { hash: string; code: string }> = {};

export const initialize: InitializeHook<LoaderHooksData> = (data) => {
  sdkUrl = data.sdkUrl;
  transpiled = data.transpiled ?? {};
};

export const resolve: ResolveHook = async (specifier, context, nextResolve) => {
  if (kSdkSpecifiers.has(specifier)) return { url: sdkUrl, format: 'module', shortCircuit: true };
  try {
    return await nextResolve(specifier, context);
  } catch (err) {
    const fallback = typeScriptFallback(specifier, context.parentURL);
    if (fallback) return { url: fallback, shortCircuit: true };
    throw err;
  }
};

export const load: LoadHook = async (url, context, nextLoad) => {
  if (!url.startsWith('file:')) return nextLoad(url, context);
  const path = fileURLToPath(url);
  if (!kTypeScriptExtensions.has(extname(path))) return nextLoad(url, context);
  const source = await readFile(path, 'utf8');
  const cached = transpiled[path];
  if (cached && cached.hash === createHash('sha1').update(source).digest('hex'))
    return { format: 'module', source: cached.code, shortCircuit: true };
  // Not transpiled ahead (a file outside the endpoint folders) or changed since: esbuild here, loaded only now.
  const { transform } = await import('esbuild');
  try {
    const out = await transform(source, transpileOptions(path));
    return { format: 'module', source: out.code, shortCircuit: true };
  } catch (err) {
    throw asSyntaxError(err, path);
  }
};

/** The first existing TypeScript-style alternative of a relative specifier, as a URL. */
function typeScriptFallback(specifier: string, parentURL: string | undefined): string | undefined {
  if (!parentURL?.startsWith('file:') || !(specifier.startsWith('./') || specifier.startsWith('../'))) return undefined;
  const ext = extname(specifier);
  let candidates: string[];
  if (ext === '.js') candidates = [`${specifier.slice(0, -3)}.ts`];
  else if (ext === '.mjs') candidates = [`${specifier.slice(0, -4)}.mts`];
  else if (ext === '') candidates = kNoExtensionCandidates.map((suffix) => specifier + suffix);
  else return undefined;
  for (const candidate of candidates) {
    const url = new URL(candidate, parentURL);
    const path = fileURLToPath(url);
    if (existsSync(path) && statSync(path).isFile()) return url.href;
  }
  return undefined;
}

interface EsbuildMessage {
  text: string;
  location?: { line: number; column: number } | null;
}

/** esbuild's error lists every problem; keep the first with its position, as Node reports a SyntaxError. */
function asSyntaxError(err: unknown, path: string): Error {
  const first = (err as { errors?: EsbuildMessage[] }).errors?.[0];
  if (!first) return err instanceof Error ? err : new Error(String(err));
  const where = first.location ? `${path}:${first.location.line}:${first.location.column + 1}` : path;
  return new SyntaxError(`${where}: ${first.text}`);
}
