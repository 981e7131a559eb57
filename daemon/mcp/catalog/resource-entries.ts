/**
 * Resources as MCP serves them. A URI without placeholders is a plain resource (`resources/list`); one
 * with `{name}` placeholders is a template (`resources/templates/list`). MXCP lists every resource as a
 * template [quirk]; MCP clients only read templates after filling them in, so plain URIs are listed where
 * clients look for them.
 *
 * `resources/read` tries the plain URIs first (exact match), then the templates in order of decreasing
 * literal length, so `users://me` wins over `users://{id}` and the choice never depends on file order.
 */
import type { CompiledEndpoint } from '../../generation/compiled-endpoint.js';
import type { ResourceDefinition } from '../../registry/types.js';
import { compareKeys } from './pagination.js';
import { compileUriTemplate, hasPlaceholders, type UriMatcher } from './uri-template.js';

export interface ResourceEntry {
  /** The YAML `uri` (a template when it has placeholders). */
  readonly uri: string;
  readonly mimeType: string;
  readonly endpoint: CompiledEndpoint;
  /** The `resources/list` or `resources/templates/list` item. */
  readonly descriptor: Readonly<Record<string, unknown>>;
}

export interface ResourceMatch {
  readonly entry: ResourceEntry;
  /** Placeholder values captured from the URI (strings; the endpoint's converter types them). */
  readonly params: Record<string, string>;
}

export class ResourceIndex {
  /** Sorted by URI. */
  readonly plain: readonly ResourceEntry[];
  /** Sorted by URI template. */
  readonly templates: readonly ResourceEntry[];
  readonly #byUri: ReadonlyMap<string, ResourceEntry>;
  readonly #matchers: readonly { readonly entry: ResourceEntry; readonly match: UriMatcher }[];

  constructor(endpoints: Iterable<CompiledEndpoint>) {
    const plain: ResourceEntry[] = [];
    const templates: ResourceEntry[] = [];
    for (const endpoint of endpoints) {
      const def = endpoint.entry.endpoint.def as ResourceDefinition;
      const template = hasPlaceholders(def.uri);
      const mimeType = def.mime_type ?? 'text/plain';
      const descriptor: Record<string, unknown> = template ? { uriTemplate: def.uri } : { uri: def.uri };
      descriptor.name = def.name ?? def.uri;
      if (def.description !== undefined) descriptor.description = def.description;
      descriptor.mimeType = mimeType;
      (template ? templates : plain).push({ uri: def.uri, mimeType, endpoint, descriptor });
    }
    plain.sort((a, b) => compareKeys(a.uri, b.uri));
    templates.sort((a, b) => compareKeys(a.uri, b.uri));
    this.plain = plain;
    this.templates = templates;
    this.#byUri = new Map(plain.map((e) => [e.uri, e]));
    this.#matchers = [...templates]
      .sort((a, b) => literalLength(b.uri) - literalLength(a.uri) || compareKeys(a.uri, b.uri))
      .map((entry) => ({ entry, match: compileUriTemplate(entry.uri) }));
  }

  match(uri: string): ResourceMatch | undefined {
    const exact = this.#byUri.get(uri);
    if (exact) return { entry: exact, params: {} };
    for (const { entry, match } of this.#matchers) {
      const params = match(uri);
      if (params) return { entry, params };
    }
    return undefined;
  }
}

function literalLength(template: string): number {
  return template.replace(/\{[^{}]+\}/g, '').length;
}
