/**
 * Node module customization hooks for plugins loaded from outside the package (the project's `plugins/`,
 * `MXCP_PLUGIN_PATH`, npm packages). Registered once per process with `module.register` before the first
 * such plugin loads; they run on Node's hooks thread.
 *
 * - `mxcp` and `mxcp/sdk` resolve to this package's SDK, the very module the daemon uses: a plugin needs no
 *   `node_modules` of its own, and tokens, errors and definitions are shared (as for endpoint code in
 *   plugins/executor-js/loader-hooks.ts).
 * - `.ts` / `.mts` files are transpiled in memory with esbuild (legacy decorators on, for `@inject`);
 *   nothing is written to disk. `./x.js` falls back to `./x.ts` as TypeScript's NodeNext resolution does.
 * - Reload: the loader imports a changed plugin's entry with a `?mxcp-plugin=<folder>.<stamp>` query. A
 *   relative import made from such a module, landing inside the same folder (outside its node_modules),
 *   inherits the query, so the plugin's own modules are evaluated afresh with it while shared modules
 *   (the SDK, dependencies) are not.
 */
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { InitializeHook, LoadHook, ResolveHook } from 'node:module';
import { extname, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';
import { kPluginQuery, type PluginHooksData } from './hook-protocol.js';

const kSdkSpecifiers = new Set(['mxcp', 'mxcp/sdk']);
const kTypeScript = new Set(['.ts', '.mts']);

let sdkUrl = '';

export const initialize: InitializeHook<PluginHooksData> = (data) => {
  sdkUrl = data.sdkUrl;
};

export const resolve: ResolveHook = async (specifier, context, nextResolve) => {
  if (kSdkSpecifiers.has(specifier) && sdkUrl) return { url: sdkUrl, format: 'module', shortCircuit: true };
  let result: Awaited<ReturnType<typeof nextResolve>>;
  try {
    result = await nextResolve(specifier, context);
  } catch (err) {
    const fallback = typeScriptFallback(specifier, context.parentURL);
    if (!fallback) throw err;
    result = { url: fallback, shortCircuit: true };
  }
  const tag = inheritedTag(specifier, context.parentURL, result.url);
  return tag ? { ...result, url: tag, shortCircuit: true } : result;
};

export const load: LoadHook = async (url, context, nextLoad) => {
  if (!url.startsWith('file:')) return nextLoad(url, context);
  const path = fileURLToPath(url);
  if (!kTypeScript.has(extname(path))) return nextLoad(url, context);
  const source = await readFile(path, 'utf8');
  const out = await transform(source, {
    loader: 'ts',
    format: 'esm',
    target: 'node20',
    sourcefile: path,
    sourcemap: 'inline',
    sourcesContent: false,
    tsconfigRaw: { compilerOptions: { experimentalDecorators: true } },
  });
  return { format: 'module', source: out.code, shortCircuit: true };
};

/** The child's URL with the parent's plugin query, when both are inside the tagged plugin folder. */
function inheritedTag(specifier: string, parentURL: string | undefined, url: string): string | undefined {
  if (!parentURL || !url.startsWith('file:') || !(specifier.startsWith('./') || specifier.startsWith('../'))) return undefined;
  const tag = new URL(parentURL).searchParams.get(kPluginQuery);
  if (!tag) return undefined;
  const folder = Buffer.from(tag.slice(0, tag.lastIndexOf('.')), 'base64url').toString('utf8');
  const child = new URL(url);
  const path = fileURLToPath(child);
  if (!path.startsWith(folder + sep) || path.slice(folder.length).includes(`${sep}node_modules${sep}`)) return undefined;
  child.searchParams.set(kPluginQuery, tag);
  return child.href;
}

/** `./x.js` → `./x.ts`, `./x.mjs` → `./x.mts`, `./x` → `./x.ts` / `./x.js` / `./x/index.ts` (first that exists). */
function typeScriptFallback(specifier: string, parentURL: string | undefined): string | undefined {
  if (!parentURL?.startsWith('file:') || !(specifier.startsWith('./') || specifier.startsWith('../'))) return undefined;
  const ext = extname(specifier);
  const candidates =
    ext === '.js'
      ? [`${specifier.slice(0, -3)}.ts`]
      : ext === '.mjs'
        ? [`${specifier.slice(0, -4)}.mts`]
        : ext === ''
          ? ['.ts', '.mts', '.js', '.mjs', '/index.ts', '/index.js'].map((s) => specifier + s)
          : [];
  for (const candidate of candidates) {
    const url = new URL(candidate, parentURL);
    url.search = '';
    const path = fileURLToPath(url);
    if (existsSync(path) && statSync(path).isFile()) return url.href;
  }
  return undefined;
}
