/**
 * The endpoint registry of one generation: every discovered file with its outcome, and the valid
 * endpoints by kind and identifier. Built once (files read, sources resolved, checks run); nothing in it is
 * re-read from disk per request.
 */
import type { MxcpError } from '../../sdk/errors/index.js';
import { Errors } from '../../sdk/errors/index.js';
import type { SiteConfig } from '../config/types.js';
import { locate, type YamlFile } from '../config/yaml-file.js';
import { discoverEndpointFiles } from './discover.js';
import { loadEndpointFile } from './endpoint-file.js';
import { type CheckContext, checkEndpoint, type ResolvedSource } from './static-checks.js';
import { type EndpointDefinition, type EndpointKind, endpointId } from './types.js';

export interface EndpointEntry {
  readonly absPath: string;
  readonly relPath: string;
  /** `unknown` when the file failed before its kind was known. */
  readonly kind: EndpointKind | 'unknown';
  /** Tool or prompt name, resource URI; empty when unknown. */
  readonly name: string;
  readonly endpoint?: EndpointDefinition;
  readonly source?: ResolvedSource;
  readonly file?: YamlFile;
  readonly error?: MxcpError;
}

/** An entry that loaded and passed every check. */
export type ValidEndpoint = EndpointEntry & { readonly endpoint: EndpointDefinition; readonly file: YamlFile };

export interface SkippedFile {
  readonly relPath: string;
  readonly reason: string;
  /**
   * `warn` for a file in the wrong folder (MXCP warns), `debug` for `enabled: false` (MXCP is silent: an
   * operator disabled it on purpose, it is not news on every command).
   */
  readonly level: 'warn' | 'debug';
}

export interface Registry {
  /** Every discovered, not skipped file in discovery order, valid or not. */
  readonly entries: readonly EndpointEntry[];
  readonly skipped: readonly SkippedFile[];
  readonly tools: ReadonlyMap<string, ValidEndpoint>;
  readonly resources: ReadonlyMap<string, ValidEndpoint>;
  readonly prompts: ReadonlyMap<string, ValidEndpoint>;
  readonly failed: readonly EndpointEntry[];
}

export interface BuildRegistryOptions extends CheckContext {
  readonly paths: SiteConfig['paths'];
  /** Skip source checks (the `list` command only reports what loads). */
  readonly skipChecks?: boolean;
}

export async function buildRegistry(options: BuildRegistryOptions): Promise<Registry> {
  const files = await discoverEndpointFiles(options.root, options.paths);
  const skipped: SkippedFile[] = [];
  const loaded: EndpointEntry[] = [];

  // Files are independent; read and check them concurrently, keep discovery order in the result. The
  // concurrency is bounded: a project with thousands of files must not run out of file descriptors.
  const outcomes = await mapBounded(files, kMaxOpenFiles, async (f): Promise<EndpointEntry | SkippedFile> => {
    const res = await loadEndpointFile(f.absPath, f.relPath);
    const base = { absPath: f.absPath, relPath: f.relPath };
    if (!res.ok) return { ...base, kind: 'unknown', name: '', error: res.error, file: res.file };
    const { endpoint, file } = res;
    if (endpoint.kind !== f.folderKind) {
      return { relPath: f.relPath, reason: `holds a ${endpoint.kind}, not a ${f.folderKind}; skipped`, level: 'warn' };
    }
    if (endpoint.def.enabled === false) return { relPath: f.relPath, reason: 'disabled (enabled: false)', level: 'debug' };
    const entry = { ...base, kind: endpoint.kind, name: endpointId(endpoint), endpoint, file };
    if (options.skipChecks) return entry;
    try {
      return { ...entry, source: await checkEndpoint(endpoint, file, options) };
    } catch (err) {
      return { ...entry, error: err as MxcpError };
    }
  });
  for (const o of outcomes) {
    if ('reason' in o) skipped.push(o);
    else loaded.push(o);
  }

  const entries = markDuplicates(loaded);
  const tools = new Map<string, ValidEndpoint>();
  const resources = new Map<string, ValidEndpoint>();
  const prompts = new Map<string, ValidEndpoint>();
  for (const e of entries) {
    if (e.error || !e.endpoint || !e.file) continue;
    const target = e.kind === 'tool' ? tools : e.kind === 'resource' ? resources : prompts;
    target.set(e.name, e as ValidEndpoint);
  }
  return { entries, skipped, tools, resources, prompts, failed: entries.filter((e) => e.error) };
}

/**
 * Identifiers are unique across tools, resources and prompts together (a tool and a prompt may not share a
 * name); every file involved in a clash is marked, as MXCP does.
 */
function markDuplicates(entries: EndpointEntry[]): EndpointEntry[] {
  const byId = new Map<string, EndpointEntry[]>();
  for (const e of entries) {
    if (!e.endpoint) continue;
    const list = byId.get(e.name) ?? [];
    list.push(e);
    byId.set(e.name, list);
  }
  return entries.map((e) => {
    const group = e.endpoint ? byId.get(e.name) : undefined;
    if (!group || group.length < 2) return e;
    const label = group.some((g) => g.kind === 'resource') ? 'URI' : 'name';
    const files = group.map((g) => g.relPath).join(', ');
    const key = e.kind === 'resource' ? 'uri' : 'name';
    const location = e.file ? locate(e.file, [e.kind, key]) : { file: e.relPath };
    const error = new Errors.MXCP_E_ENDPOINT_DUPLICATE({ label, name: e.name, files }, { location });
    return { ...e, error };
  });
}

/** At most this many endpoint files are open at once. */
const kMaxOpenFiles = 32;

/** `Promise.all(items.map(fn))` with at most `limit` calls in flight; results keep the input order. */
async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
