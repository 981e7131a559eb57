/**
 * Session and server methods: `initialize`, `ping`, `logging/setLevel` (legacy era) and `server/discover`
 * (modern era). `initialize` negotiates the version the session then speaks (protocol-version.ts).
 */

import { Errors } from '../../../sdk/errors/index.js';
import type { ClientLogLevel } from '../../../sdk/execution-context.js';
import type { MethodCall } from '../method-call.js';
import { kSupportedVersions, negotiateLegacyVersion } from '../protocol-version.js';
import { kLogLevels } from '../request-meta.js';
import { modernResult } from '../result-meta.js';
import { kServerInfo, serverCapabilities } from '../server-info.js';

const kEmpty = Object.freeze({});

export function initialize(call: MethodCall): Record<string, unknown> {
  const { session } = call.envelope;
  // A stateful HTTP session is made by its initialize; stdio may re-initialize (a restarted client).
  if (session.id !== undefined && session.negotiated) throw new Errors.MXCP_E_MCP_ALREADY_INITIALIZED();
  const protocolVersion = negotiateLegacyVersion(call.params.protocolVersion);
  session.negotiated = true;
  session.protocolVersion = protocolVersion;
  session.clientCapabilities = call.params.capabilities;
  session.clientInfo = call.params.clientInfo;
  return { protocolVersion, capabilities: serverCapabilities('legacy'), serverInfo: kServerInfo };
}

export function ping(): object {
  return kEmpty;
}

export function setLogLevel(call: MethodCall): object {
  const { level } = call.params;
  if (!kLogLevels.includes(level as ClientLogLevel)) {
    throw new Errors.MXCP_E_MCP_INVALID_PARAMS({ detail: `level must be one of ${kLogLevels.join(', ')}` });
  }
  call.envelope.session.logLevel = level as ClientLogLevel;
  return kEmpty;
}

/** Versions and capabilities change only with the server's code: a minute of caching is safe. */
const kDiscover = modernResult(
  { supportedVersions: [...kSupportedVersions], capabilities: serverCapabilities('modern') },
  { ttlMs: 60_000, cacheScope: 'public' },
);

export function discover(): Record<string, unknown> {
  return kDiscover;
}
