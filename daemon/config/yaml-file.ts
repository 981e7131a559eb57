/**
 * Parses project YAML the way every project file is read: bounded size (see text-file.ts), YAML 1.1
 * semantics (PyYAML's, so `yes`/`no` stay booleans for existing MXCP projects), bounded nesting and alias
 * expansion, positions kept for error messages.
 */
import {
  type Document,
  isAlias,
  isCollection,
  isMap,
  isNode,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  type ScalarTag,
  type Tags,
  type YAMLError,
} from 'yaml';
import { type ErrorLocation, Errors, type MxcpError } from '../../sdk/errors/index.js';
import { readTextFile } from './text-file.js';

export { kMaxYamlBytes, readTextFile } from './text-file.js';

/** Deeper documents are refused: no MXCP file needs it, and the conversion to plain data recurses. */
export const kMaxYamlDepth = 100;

export type KeyPath = readonly (string | number)[];

export interface YamlFile {
  /** Absolute path. */
  readonly absPath: string;
  /** Path shown in messages (relative to the project root when inside it). */
  readonly displayPath: string;
  readonly doc: Document.Parsed;
  readonly lineCounter: LineCounter;
  /** Plain data (`undefined` for an empty document). */
  readonly data: unknown;
}

/**
 * Parses YAML text. Syntax errors (duplicate keys, several documents, collection keys, alias expansion
 * beyond the limit) become MXCP_E_YAML_SYNTAX and nesting beyond {@link kMaxYamlDepth} MXCP_E_YAML_TOO_DEEP,
 * each located at the offending line and column.
 */
export function parseYaml(text: string, absPath: string, displayPath: string): YamlFile {
  const lineCounter = new LineCounter();
  const at = (offset: number | undefined): ErrorLocation => {
    if (offset === undefined) return { file: displayPath };
    const pos = lineCounter.linePos(offset);
    return { file: displayPath, line: pos.line, column: pos.col };
  };
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, {
      version: '1.1',
      lineCounter,
      uniqueKeys: true,
      prettyErrors: false,
      customTags: pyyamlTags,
    });
  } catch (err) {
    // The parser recursing too deep on pathological input; report it as what it is, not as a crash.
    if (err instanceof RangeError) {
      throw new Errors.MXCP_E_YAML_TOO_DEEP({ limit: kMaxYamlDepth }, { cause: err, location: { file: displayPath } });
    }
    throw new Errors.MXCP_E_YAML_SYNTAX({ detail: (err as Error).message }, { cause: err, location: { file: displayPath } });
  }
  const first = doc.errors[0];
  // The composer records its own stack overflow (nesting in the hundreds) as an ordinary error.
  if (first && /call stack/i.test(first.message)) {
    throw new Errors.MXCP_E_YAML_TOO_DEEP({ limit: kMaxYamlDepth }, { location: at(first.pos[0]) });
  }
  if (first) {
    throw new Errors.MXCP_E_YAML_SYNTAX(
      { detail: syntaxMessage(first, text) },
      {
        location: at(first.pos[0]),
        details: doc.errors.map((e) => `line ${lineCounter.linePos(e.pos[0]).line}: ${syntaxMessage(e, text)}`),
      },
    );
  }
  const firstAlias = checkStructure(doc, (node, problem) => {
    if (problem === 'depth') throw new Errors.MXCP_E_YAML_TOO_DEEP({ limit: kMaxYamlDepth }, { location: at(node.range?.[0]) });
    const detail =
      problem === 'cycle'
        ? 'an alias refers to the anchor it sits inside (a recursive structure, which no configuration can hold)'
        : 'mapping keys must be plain scalars, not lists, mappings or binary values';
    throw new Errors.MXCP_E_YAML_SYNTAX({ detail }, { location: at(node.range?.[0]) });
  });
  let data: unknown;
  try {
    // maxAliasCount bounds "billion laughs" expansion.
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    throw new Errors.MXCP_E_YAML_SYNTAX({ detail: (err as Error).message }, { cause: err, location: at(firstAlias?.range?.[0]) });
  }
  return { absPath, displayPath, doc, lineCounter, data: data ?? undefined };
}

/** The library's messages, first line only, made specific where they are vague or name its own API. */
function syntaxMessage(e: YAMLError, text: string): string {
  if (e.code === 'DUPLICATE_KEY') {
    const rest = text.slice(e.pos[0]);
    const key = /^(?:"([^"\n]*)"|'([^'\n]*)'|([^:\n#]*?))\s*:/.exec(rest);
    const name = key ? (key[1] ?? key[2] ?? key[3] ?? '').trim() : '';
    return name ? `duplicate key '${name}' (map keys must be unique)` : 'duplicate key (map keys must be unique)';
  }
  if (e.code === 'MULTIPLE_DOCS') return "a file must hold one YAML document, but '---' starts another";
  return e.message.split('\n')[0] ?? e.message;
}

/**
 * Walks the document without recursion: reports nesting deeper than {@link kMaxYamlDepth} and keys that
 * are collections (which JavaScript objects cannot hold), aliases inside their own anchor (`&a [*a]`, a
 * cyclic value that sent recursive readers into a stack overflow: found by scripts/fuzz/yaml.mjs), and
 * returns the first alias (for locating an alias-expansion failure).
 */
function checkStructure(doc: Document.Parsed, fail: (node: Node, problem: 'depth' | 'key' | 'cycle') => never): Node | undefined {
  const root: unknown = doc.contents;
  let firstAlias: Node | undefined;
  // `open`: the anchors of the collections enclosing a node (usually none, so the array is shared).
  const stack: { node: unknown; depth: number; open: readonly string[] }[] = [{ node: root, depth: 1, open: [] }];
  while (stack.length > 0) {
    const { node, depth, open: outer } = stack.pop() as { node: unknown; depth: number; open: readonly string[] };
    if (isAlias(node)) {
      if (outer.includes(node.source)) fail(node, 'cycle');
      if (!firstAlias || (node.range?.[0] ?? 0) < (firstAlias.range?.[0] ?? 0)) firstAlias = node;
      continue;
    }
    if (!isCollection(node)) continue;
    if (depth > kMaxYamlDepth) fail(node, 'depth');
    const open = node.anchor ? [...outer, node.anchor] : outer;
    for (const item of node.items) {
      if (isPair(item)) {
        // An alias key (`*list: x`) resolves to whatever it names: a collection there is as bad as one here.
        const key = isAlias(item.key) ? item.key.resolve(doc) : item.key;
        // A tagged scalar key (`!!binary k: v`) holds bytes, not a name: no better as a key than a list.
        const bytesKey = isScalar(key) && typeof key.value === 'object' && key.value !== null;
        if (isCollection(key) || bytesKey) fail(item.key as Node, 'key');
        stack.push({ node: item.value, depth: depth + 1, open });
      } else {
        stack.push({ node: item, depth: depth + 1, open });
      }
    }
  }
  return firstAlias;
}

export async function readYamlFile(absPath: string, displayPath: string): Promise<YamlFile> {
  return parseYaml(await readTextFile(absPath, displayPath), absPath, displayPath);
}

/**
 * Finds the line and column of the value at `path`, or of the key when `key` is set (for unknown-key
 * errors). A mapping or list value is located at its key (`source:`), where a reader looks for it, rather
 * than at its first item on the next line. Falls back to the deepest ancestor that exists, so a missing
 * required key points at its parent.
 */
export function locate(file: YamlFile, path: KeyPath, opts: { key?: boolean } = {}): ErrorLocation {
  let node: unknown = file.doc.contents;
  let found: Node | undefined = isNode(node) ? node : undefined;
  let foundKey: Node | undefined;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    const last = i === path.length - 1;
    let key: Node | undefined;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      key = isNode(pair.key) ? pair.key : undefined;
      if (last && opts.key && key) {
        found = key;
        foundKey = undefined;
        break;
      }
      node = pair.value;
    } else if (isSeq(node)) {
      node = node.items[Number(seg)];
    } else {
      break;
    }
    if (!isNode(node)) break;
    found = node;
    foundKey = key;
  }
  const target = isCollection(found) && foundKey ? foundKey : found;
  const location: ErrorLocation = { file: file.displayPath, path: formatKeyPath(path) };
  const offset = target?.range?.[0];
  if (offset !== undefined) {
    const pos = file.lineCounter.linePos(offset);
    location.line = pos.line;
    location.column = pos.col;
  }
  return location;
}

/** `['profiles', 'dev', 'duckdb']` → `profiles.dev.duckdb`. */
export function formatKeyPath(path: KeyPath): string {
  return path.map(String).join('.');
}

/** Attaches a location to an error that lacks one (errors raised before the file was known). */
export function withFile(err: MxcpError, displayPath: string): MxcpError {
  if (!err.location?.file) Object.assign(err, { location: { ...err.location, file: displayPath } });
  return err;
}

/**
 * YAML 1.1 as PyYAML reads it, so existing MXCP projects mean the same thing here:
 * - booleans are yes/no/true/false/on/off in their three casings; the `yaml` library's 1.1 schema also
 *   takes `y`/`n`, which would turn a property or column named `n` into `false`;
 * - `2024-01-15` stays a string (PyYAML makes a date object that MXCP code then treats as text).
 */
function pyyamlTags(tags: Tags): Tags {
  const kept = tags.filter((t) => typeof t === 'string' || (t.tag !== 'tag:yaml.org,2002:timestamp' && t.tag !== 'tag:yaml.org,2002:bool'));
  return [
    ...kept,
    pyBool(true, /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/),
    pyBool(false, /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/),
  ];
}

function pyBool(value: boolean, test: RegExp): ScalarTag {
  return {
    tag: 'tag:yaml.org,2002:bool',
    identify: (v) => v === value,
    default: true,
    test,
    resolve: () => value,
    stringify: () => (value ? 'true' : 'false'),
  };
}
