/**
 * The protocol era of an HTTP request, from `MCP-Protocol-Version` and the body's `_meta`, and the
 * modern era's header checks (SEP-2243): `Mcp-Method` on every message, `Mcp-Name` for the methods that
 * name a target, both compared with the body (values case-sensitive, surrounding whitespace ignored,
 * `=?base64?...?=` decoded). Failures: -32020 HeaderMismatch, -32022 for a version not served; HTTP 400.
 *
 *   _meta version (not legacy) present  -> the header must equal it
 *   no header                            -> legacy era, version assumed 2025-03-26 (or the session's)
 *   header 2026-07-28                    -> modern era
 *   header a legacy version              -> legacy era at that version
 *   any other header                     -> -32022
 */
import type { IncomingHttpHeaders } from 'node:http';
import { Errors } from '../../../sdk/errors/index.js';
import type { IncomingMessage } from '../../mcp/jsonrpc.js';
import { type Era, isLegacyVersion, kModernVersion } from '../../mcp/protocol-version.js';
import { metaVersionOf, unsupportedVersion } from '../../mcp/request-meta.js';

export interface HttpProtocol {
  readonly era: Era;
  /** The legacy version the header names, when it names one. */
  readonly version?: string;
}

/** Only the version header, for requests without a body (GET, DELETE). */
export function headerEra(headers: IncomingHttpHeaders): Era {
  return headerValue(headers['mcp-protocol-version']) === kModernVersion ? 'modern' : 'legacy';
}

export function resolveHttpProtocol(headers: IncomingHttpHeaders, message: IncomingMessage): HttpProtocol {
  const header = headerValue(headers['mcp-protocol-version']);
  const params = message.kind === 'response' ? undefined : message.params;
  const declared = metaVersionOf(params);
  if (typeof declared === 'string' && !isLegacyVersion(declared) && header !== declared) {
    throw new Errors.MXCP_E_MCP_HEADER_MISMATCH({
      detail: `MCP-Protocol-Version header ${header === undefined ? 'is missing' : `'${header}'`} but _meta declares '${declared}'`,
    });
  }
  if (header === undefined || header === '') return { era: 'legacy' };
  if (header === kModernVersion) {
    if (message.kind !== 'response') checkModernHeaders(headers, message.method, params);
    return { era: 'modern' };
  }
  if (isLegacyVersion(header)) return { era: 'legacy', version: header };
  throw unsupportedVersion(header);
}

function checkModernHeaders(headers: IncomingHttpHeaders, method: string, params: Readonly<Record<string, unknown>> | undefined): void {
  const methodHeader = headerValue(headers['mcp-method']);
  if (methodHeader === undefined) throw mismatch('the Mcp-Method header is required');
  if (methodHeader !== method) throw mismatch(`Mcp-Method header '${methodHeader}' differs from the body's method '${method}'`);
  const target = method === 'resources/read' ? params?.uri : method === 'tools/call' || method === 'prompts/get' ? params?.name : undefined;
  if (typeof target !== 'string') return; // nothing named in the body: the method reports its own -32602
  const nameHeader = headerValue(headers['mcp-name']);
  if (nameHeader === undefined) throw mismatch(`the Mcp-Name header is required for ${method}`);
  if (nameHeader !== target) throw mismatch(`Mcp-Name header '${nameHeader}' differs from the body's '${target}'`);
}

function mismatch(detail: string) {
  return new Errors.MXCP_E_MCP_HEADER_MISMATCH({ detail });
}

const kBase64Sentinel = /^=\?base64\?([A-Za-z0-9+/=_-]*)\?=$/;

/** Trimmed; the Base64 sentinel form decoded as UTF-8 (for values that are not safe header text). */
function headerValue(raw: string | string[] | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const value = (Array.isArray(raw) ? raw.join(',') : raw).trim();
  const m = kBase64Sentinel.exec(value);
  return m ? Buffer.from(m[1] as string, 'base64').toString('utf8') : value;
}
