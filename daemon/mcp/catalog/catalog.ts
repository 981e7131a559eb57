/**
 * Everything MCP serves from one generation, computed once when the generation is first used and kept
 * with it (CatalogCache, a WeakMap: the catalog goes when the generation does). The four list methods answer from
 * pages serialized on first request and reused afterwards, one per protocol version and page start.
 */
import type { Generation } from '../../generation/generation.js';
import { RawResult } from '../jsonrpc.js';
import { hasStructuredOutput, kModernVersion } from '../protocol-version.js';
import { kListCache, modernResult } from '../result-meta.js';
import { directInvoker, type Invoker, type InvokerFactory } from './invoker.js';
import { compareKeys, encodeCursor, pageStart } from './pagination.js';
import { type PromptEntry, promptEntry } from './prompt-entries.js';
import { type ResourceEntry, ResourceIndex } from './resource-entries.js';
import { sqlToolEntries } from './sql-tools.js';
import { type ToolEntry, yamlToolEntry } from './tool-entries.js';

export type ListKind = 'tools' | 'resources' | 'resourceTemplates' | 'prompts';

export interface CatalogOptions {
  /** `--sql-tools`; undefined follows the site config's `sql_tools.enabled`. */
  readonly sqlTools: boolean | undefined;
  /** Entries per list page. */
  readonly pageSize: number;
  /** How calls reach the engine (audited when serving); direct calls by default. */
  readonly invoker?: InvokerFactory;
}

interface ListSource {
  readonly keys: readonly string[];
  item(index: number, version: string): unknown;
}

export class McpCatalog {
  readonly tools: ReadonlyMap<string, ToolEntry>;
  readonly resources: ResourceIndex;
  readonly prompts: ReadonlyMap<string, PromptEntry>;
  readonly invoke: Invoker;
  readonly #lists: Record<ListKind, ListSource>;
  readonly #pages = new Map<string, RawResult>();
  readonly #pageSize: number;

  constructor(generation: Generation, options: CatalogOptions) {
    this.#pageSize = Math.max(1, options.pageSize);
    const invoke = (options.invoker ?? directInvoker)(generation);
    this.invoke = invoke;
    const tools = [...generation.tools.values()].map((e) => yamlToolEntry(e, invoke));
    if (options.sqlTools ?? generation.project.siteConfig.sql_tools.enabled) {
      const yamlNames = new Set(tools.map((t) => t.name));
      // A YAML tool of the same name wins: the operator defined it on purpose.
      const builtins = sqlToolEntries(generation.project.siteConfig, generation.database).filter((t) => !yamlNames.has(t.name));
      tools.push(
        ...builtins.map(
          (t): ToolEntry => ({ ...t, run: (args, context) => invoke.builtin(t.name, args, context, () => t.run(args, context)) }),
        ),
      );
    }
    tools.sort((a, b) => compareKeys(a.name, b.name));
    const prompts = [...generation.prompts.values()].map(promptEntry).sort((a, b) => compareKeys(a.name, b.name));
    this.tools = new Map(tools.map((t) => [t.name, t]));
    this.prompts = new Map(prompts.map((p) => [p.name, p]));
    this.resources = new ResourceIndex(generation.resources.values());

    const resourceList = (entries: readonly ResourceEntry[]): ListSource => ({
      keys: entries.map((e) => e.uri),
      item: (i) => entries[i]?.descriptor,
    });
    this.#lists = {
      tools: {
        keys: tools.map((t) => t.name),
        item: (i, version) => (hasStructuredOutput(version) ? tools[i]?.descriptor : tools[i]?.legacyDescriptor),
      },
      resources: resourceList(this.resources.plain),
      resourceTemplates: resourceList(this.resources.templates),
      prompts: { keys: prompts.map((p) => p.name), item: (i) => prompts[i]?.descriptor },
    };
  }

  /** One page of a list result, serialized once per (list, version, start). Throws MXCP_E_MCP_INVALID_CURSOR. */
  listPage(kind: ListKind, version: string, cursor: unknown): RawResult {
    const source = this.#lists[kind];
    const start = pageStart(source.keys, cursor);
    const cacheKey = `${kind}|${version}|${start}`;
    let page = this.#pages.get(cacheKey);
    if (!page) {
      const end = Math.min(start + this.#pageSize, source.keys.length);
      const items: unknown[] = [];
      for (let i = start; i < end; i++) items.push(source.item(i, version));
      let result: Record<string, unknown> = { [kind]: items };
      if (end < source.keys.length) result.nextCursor = encodeCursor(source.keys[end - 1] as string);
      if (version === kModernVersion) result = modernResult(result, kListCache);
      page = new RawResult(JSON.stringify(result));
      this.#pages.set(cacheKey, page);
    }
    return page;
  }
}

/** One catalog per generation for one dispatcher (its options shape the catalog). */
export class CatalogCache {
  readonly #catalogs = new WeakMap<Generation, McpCatalog>();

  constructor(private readonly options: CatalogOptions) {}

  get(generation: Generation): McpCatalog {
    let catalog = this.#catalogs.get(generation);
    if (!catalog) {
      catalog = new McpCatalog(generation, this.options);
      this.#catalogs.set(generation, catalog);
    }
    return catalog;
  }
}
