/**
 * Imports endpoint modules inside a worker (through the loader hooks) and finds each endpoint's function:
 * a tool's export named exactly like the tool; a resource's `main`, else its default export, else a function
 * named like the file stem. A CommonJS module's `module.exports` object (the default export) is searched too.
 */
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { transform } from 'esbuild';
import { type EndpointSpec, type LoadProblem, toWireError } from './protocol.js';

export type EndpointFunction = (params: Record<string, unknown>) => unknown;

type ModuleNamespace = Record<string, unknown>;

function functionIn(mod: ModuleNamespace, key: string): EndpointFunction | undefined {
  const direct = mod[key];
  if (typeof direct === 'function') return direct as EndpointFunction;
  const cjs = mod.default;
  if (key !== 'default' && typeof cjs === 'object' && cjs !== null) {
    const nested = (cjs as ModuleNamespace)[key];
    if (typeof nested === 'function') return nested as EndpointFunction;
  }
  return undefined;
}

export function findEndpointFunction(mod: ModuleNamespace, spec: EndpointSpec): EndpointFunction | undefined {
  if (spec.kind === 'tool') return functionIn(mod, spec.name);
  const stem = basename(spec.file, extname(spec.file));
  return functionIn(mod, 'main') ?? functionIn(mod, 'default') ?? functionIn(mod, stem);
}

export interface LoadedEndpoints {
  readonly functions: ReadonlyMap<string, EndpointFunction>;
  readonly problems: LoadProblem[];
}

/**
 * Imports the modules one by one, in the order given (a module's top level may register hooks, so the order is
 * stable), reporting progress so the main thread can name the module a crashing worker was loading. A failure
 * is recorded for its endpoint; the others still load.
 */
export async function loadEndpoints(endpoints: readonly EndpointSpec[], progress: (what: string) => void): Promise<LoadedEndpoints> {
  const functions = new Map<string, EndpointFunction>();
  const problems: LoadProblem[] = [];
  for (const spec of endpoints) {
    progress(spec.displayFile);
    let mod: ModuleNamespace;
    try {
      mod = (await import(pathToFileURL(spec.file).href)) as ModuleNamespace;
    } catch (err) {
      problems.push({ name: spec.name, kind: 'load', error: toWireError(await withPosition(err, spec.file)) });
      continue;
    }
    const fn = findEndpointFunction(mod, spec);
    if (fn) functions.set(spec.name, fn);
    else problems.push({ name: spec.name, kind: 'export' });
  }
  return { functions, problems };
}

/**
 * Node's SyntaxError for a JavaScript module carries no file position (TypeScript errors get one from esbuild in
 * the loader hooks). Best effort: when esbuild also rejects the endpoint's own file, report its first error, which
 * names line and column; otherwise the error came from elsewhere (an imported file) and stays as it is.
 */
async function withPosition(err: unknown, file: string): Promise<unknown> {
  if (!(err instanceof SyntaxError) || !['.js', '.mjs'].includes(extname(file))) return err;
  try {
    await transform(await readFile(file, 'utf8'), { loader: 'js', sourcefile: file });
    return err;
  } catch (parseErr) {
    const first = (parseErr as { errors?: { text: string; location?: { line: number; column: number } | null }[] }).errors?.[0];
    if (!first?.location) return err;
    return new SyntaxError(`${file}:${first.location.line}:${first.location.column + 1}: ${first.text}`, { cause: err });
  }
}
