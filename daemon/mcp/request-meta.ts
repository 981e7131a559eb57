/**
 * `params._meta` of a request. Modern-era requests (2026-07-28) must carry the protocol version and the
 * client's capabilities there, and may carry a log level; either era may carry a progress token.
 */

import { Errors } from '../../sdk/errors/index.js';
import type { ClientLogLevel } from '../../sdk/execution-context.js';
import type { Params } from './jsonrpc.js';
import { kModernVersion, kSupportedVersions } from './protocol-version.js';
import { withWireData } from './wire-errors.js';

export const kMetaVersion = 'io.modelcontextprotocol/protocolVersion';
export const kMetaCapabilities = 'io.modelcontextprotocol/clientCapabilities';
export const kMetaClientInfo = 'io.modelcontextprotocol/clientInfo';
export const kMetaLogLevel = 'io.modelcontextprotocol/logLevel';
export const kMetaServerInfo = 'io.modelcontextprotocol/serverInfo';

export const kLogLevels: readonly ClientLogLevel[] = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'];

export type ProgressToken = string | number;

export interface ModernMeta {
  readonly protocolVersion: string;
  readonly clientCapabilities: Readonly<Record<string, unknown>>;
  /** Absent: the client gets no `notifications/message` for this request. */
  readonly logLevel: ClientLogLevel | undefined;
}

export function metaOf(params: Params | undefined): Readonly<Record<string, unknown>> | undefined {
  const meta = params?._meta;
  return typeof meta === 'object' && meta !== null && !Array.isArray(meta) ? (meta as Record<string, unknown>) : undefined;
}

/** The version a request declares in `_meta`, if any (a modern-era marker). */
export function metaVersionOf(params: Params | undefined): unknown {
  return metaOf(params)?.[kMetaVersion];
}

export function progressTokenOf(params: Params | undefined): ProgressToken | undefined {
  const token = metaOf(params)?.progressToken;
  return typeof token === 'string' || (typeof token === 'number' && Number.isFinite(token)) ? token : undefined;
}

/**
 * Validates the `_meta` a modern-era request must carry: MXCP_E_MCP_META_INVALID (-32602, HTTP 400) when
 * a required field is missing or malformed, MXCP_E_MCP_UNSUPPORTED_VERSION (-32022) for a version not
 * served (or a legacy version: those use the initialize handshake instead).
 */
export function validateModernMeta(params: Params | undefined): ModernMeta {
  const meta = metaOf(params);
  if (!meta) throw new Errors.MXCP_E_MCP_META_INVALID({ detail: '_meta is required in protocol 2026-07-28' });
  const version = meta[kMetaVersion];
  if (typeof version !== 'string' || version === '') {
    throw new Errors.MXCP_E_MCP_META_INVALID({ detail: `_meta["${kMetaVersion}"] is required` });
  }
  const capabilities = meta[kMetaCapabilities];
  if (typeof capabilities !== 'object' || capabilities === null || Array.isArray(capabilities)) {
    throw new Errors.MXCP_E_MCP_META_INVALID({ detail: `_meta["${kMetaCapabilities}"] must be an object` });
  }
  if (version !== kModernVersion) throw unsupportedVersion(version);
  const level = meta[kMetaLogLevel];
  if (level !== undefined && !kLogLevels.includes(level as ClientLogLevel)) {
    throw new Errors.MXCP_E_MCP_META_INVALID({ detail: `_meta["${kMetaLogLevel}"] must be one of ${kLogLevels.join(', ')}` });
  }
  return {
    protocolVersion: version,
    clientCapabilities: capabilities as Record<string, unknown>,
    logLevel: level as ClientLogLevel | undefined,
  };
}

/** -32022 with the `data` the spec requires: the versions served and the one requested. */
export function unsupportedVersion(requested: string): Error {
  const err = new Errors.MXCP_E_MCP_UNSUPPORTED_VERSION({ requested, supported: kSupportedVersions.join(', ') });
  return withWireData(err, { supported: [...kSupportedVersions], requested });
}
