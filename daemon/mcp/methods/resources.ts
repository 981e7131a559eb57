/**
 * `resources/list`, `resources/templates/list` and `resources/read`. A read matches the URI (resource-
 * entries.ts), runs the endpoint with the captured values (its converter types them, as `mxcp run
 * resource` does) and returns one text content: the value itself when it is a string, else its JSON.
 */
import { Errors, isMxcpError } from '../../../sdk/errors/index.js';
import { serializeOutput } from '../../types/index.js';
import { stringify } from '../jsonrpc.js';
import type { MethodCall } from '../method-call.js';
import { isArgumentError } from './argument-errors.js';

export function listResources(call: MethodCall) {
  return call.catalog.listPage('resources', call.version, call.params.cursor);
}

export function listResourceTemplates(call: MethodCall) {
  return call.catalog.listPage('resourceTemplates', call.version, call.params.cursor);
}

export async function readResource(call: MethodCall): Promise<Record<string, unknown>> {
  const { uri } = call.params;
  if (typeof uri !== 'string') throw new Errors.MXCP_E_MCP_INVALID_PARAMS({ detail: 'resources/read needs a string "uri"' });
  const match = call.catalog.resources.match(uri);
  if (!match) throw new Errors.MXCP_E_MCP_UNKNOWN_RESOURCE({ uri });
  const { entry, params } = match;
  let value: unknown;
  try {
    value = serializeOutput(await call.catalog.invoke.endpoint(entry.endpoint, params, call.executionContext(entry.uri)));
  } catch (err) {
    if (call.signal?.aborted) throw call.signal.reason;
    if (isArgumentError(err))
      throw new Errors.MXCP_E_MCP_INVALID_ARGUMENTS({ kind: 'resource', name: uri, detail: err.message }, { cause: err });
    if (!isMxcpError(err)) throw err; // a bug: the wire boundary reports "Internal error" and logs it
    throw new Errors.MXCP_E_MCP_RESOURCE_FAILED({ uri, detail: err.message }, { cause: err });
  }
  // A binary mime type with a BLOB (base64 by the DuckDB mapping) is a `blob` content; everything else is text.
  if (typeof value === 'string' && isBinaryMime(entry.mimeType) && kBase64.test(value)) {
    return { contents: [{ uri, mimeType: entry.mimeType, blob: value }] };
  }
  const text = typeof value === 'string' ? value : stringify(value ?? null);
  return { contents: [{ uri, mimeType: entry.mimeType, text }] };
}

const kBase64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Not text: images, audio, video, fonts, octet streams, PDFs, archives (anything not text/*, JSON, XML, YAML, JS). */
export function isBinaryMime(mime: string): boolean {
  const m = mime.toLowerCase().split(';', 1)[0]?.trim() ?? '';
  if (m.startsWith('text/')) return false;
  if (/[/+](json|xml|yaml|x-yaml|javascript|ecmascript|sql|csv|graphql)$/.test(m)) return false;
  return /^(image|audio|video|font)\//.test(m) || /^application\/(octet-stream|pdf|zip|gzip|x-tar|vnd\.)/.test(m);
}
