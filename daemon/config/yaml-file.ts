/**
 * Reads a YAML file the way every project file is read: bounded size, text only, YAML 1.1 semantics
 * (PyYAML's, so `yes`/`no` stay booleans for existing MXCP projects), positions kept for error messages.
 */
import { open } from 'node:fs/promises';
import { type Document, isMap, isNode, isPair, isScalar, LineCounter, type Node, parseDocument } from 'yaml';
import { type ErrorLocation, Errors, type MxcpError } from '../../sdk/errors/index.js';

/** Project YAML files larger than this are refused before they are read (a 50 MB file must not stall boot). */
export const kMaxYamlBytes = 4 * 1024 * 1024;

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

/** Reads and decodes a text file, refusing large, binary and badly encoded files with coded errors. */
export async function readTextFile(absPath: string, displayPath: string, maxBytes = kMaxYamlBytes): Promise<string> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(absPath, 'r');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') {
      throw new Errors.MXCP_E_FILE_NOT_FOUND({ file: displayPath, what: 'File' }, { cause: err, location: { file: displayPath } });
    }
    throw new Errors.MXCP_E_FILE_UNREADABLE(
      { file: displayPath, reason: e.code ?? e.message },
      { cause: err, location: { file: displayPath } },
    );
  }
  try {
    const info = await handle.stat();
    if (info.isDirectory()) {
      throw new Errors.MXCP_E_FILE_UNREADABLE({ file: displayPath, reason: 'it is a directory' }, { location: { file: displayPath } });
    }
    if (info.size > maxBytes) {
      throw new Errors.MXCP_E_FILE_TOO_LARGE({ file: displayPath, size: info.size, limit: maxBytes }, { location: { file: displayPath } });
    }
    // Read at most maxBytes + 1 so a file that grows between stat and read is still bounded.
    const buf = Buffer.alloc(Math.min(info.size, maxBytes) + 1);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    if (bytesRead > maxBytes) {
      throw new Errors.MXCP_E_FILE_TOO_LARGE({ file: displayPath, size: bytesRead, limit: maxBytes }, { location: { file: displayPath } });
    }
    return decodeText(buf.subarray(0, bytesRead), displayPath);
  } finally {
    await handle.close();
  }
}

function decodeText(bytes: Buffer, displayPath: string): string {
  const location = { file: displayPath };
  // UTF-16 with a byte order mark is accepted (PyYAML autodetects it); its NUL bytes are not "binary".
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  if (bytes.includes(0)) {
    const line = bytes.subarray(0, bytes.indexOf(0)).toString('latin1').split('\n').length;
    throw new Errors.MXCP_E_FILE_BINARY({ file: displayPath }, { location: { ...location, line } });
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch (err) {
    throw new Errors.MXCP_E_FILE_ENCODING({ file: displayPath }, { cause: err, location });
  }
}

/** Parses YAML text; syntax errors (including duplicate keys and alias bombs) become MXCP_E_YAML_SYNTAX. */
export function parseYaml(text: string, absPath: string, displayPath: string): YamlFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    version: '1.1',
    lineCounter,
    uniqueKeys: true,
    prettyErrors: false,
    // PyYAML would turn `2024-01-15` into a date object; MXCP code then treats it as text. Keep it a string.
    customTags: (tags) => tags.filter((t) => typeof t === 'string' || t.tag !== 'tag:yaml.org,2002:timestamp'),
  });
  const first = doc.errors[0];
  if (first) {
    const pos = first.linePos?.[0];
    throw new Errors.MXCP_E_YAML_SYNTAX(
      { detail: first.message.split('\n')[0] ?? first.message },
      {
        location: { file: displayPath, line: pos?.line, column: pos?.col },
        details: doc.errors.map((e) => e.message.split('\n')[0] ?? ''),
      },
    );
  }
  let data: unknown;
  try {
    // maxAliasCount bounds "billion laughs" expansion.
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    throw new Errors.MXCP_E_YAML_SYNTAX({ detail: (err as Error).message }, { cause: err, location: { file: displayPath } });
  }
  return { absPath, displayPath, doc, lineCounter, data: data ?? undefined };
}

export async function readYamlFile(absPath: string, displayPath: string): Promise<YamlFile> {
  return parseYaml(await readTextFile(absPath, displayPath), absPath, displayPath);
}

/**
 * Finds the line and column of the value at `path`, or of the key when `key` is set (for unknown-key
 * errors). Falls back to the deepest ancestor that exists, so a missing required key points at its parent.
 */
export function locate(file: YamlFile, path: KeyPath, opts: { key?: boolean } = {}): ErrorLocation {
  let node: unknown = file.doc.contents;
  let found: Node | undefined = isNode(node) ? node : undefined;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      if (last && opts.key && isNode(pair.key)) {
        found = pair.key;
        break;
      }
      node = pair.value;
    } else if (node && typeof node === 'object' && 'items' in node && Array.isArray((node as { items: unknown[] }).items)) {
      node = (node as { items: unknown[] }).items[Number(seg)];
    } else {
      break;
    }
    if (isNode(node)) found = node;
    else break;
  }
  const location: ErrorLocation = { file: file.displayPath, path: formatKeyPath(path) };
  const offset = found?.range?.[0];
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
