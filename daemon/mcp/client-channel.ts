/**
 * The {@link ClientChannel} endpoint code writes to (`mcp.info(...)`, `mcp.progress(...)`): notifications
 * related to one request, sent on that request's channel (stdout, its SSE response, the legacy SSE
 * stream). Progress goes only when the request asked for it with `_meta.progressToken`; log messages
 * only at or above the client's level (legacy: `logging/setLevel`, every level until set; modern: the
 * request's `_meta` logLevel, nothing when absent).
 */
import type { ClientChannel, ClientLogLevel } from '../../sdk/execution-context.js';
import { notification, type OutgoingNotification } from './jsonrpc.js';
import { kLogLevels, type ProgressToken } from './request-meta.js';

/** `'off'`: send no log messages; undefined: send every level. */
export type LogThreshold = ClientLogLevel | 'off' | undefined;

export interface ChannelOptions {
  readonly send: (message: OutgoingNotification) => void;
  readonly progressToken: ProgressToken | undefined;
  readonly threshold: LogThreshold;
  /** `logger` of the log notifications: the endpoint's name. */
  readonly logger: string;
}

const kSeverity = new Map<string, number>(kLogLevels.map((level, i) => [level, i]));

export function logEnabled(threshold: LogThreshold, level: ClientLogLevel): boolean {
  if (threshold === undefined) return true;
  if (threshold === 'off') return false;
  return (kSeverity.get(level) ?? 0) >= (kSeverity.get(threshold) ?? 0);
}

export function createClientChannel(options: ChannelOptions): ClientChannel {
  const { send, progressToken, threshold, logger } = options;
  return {
    log(level, message, data) {
      if (!logEnabled(threshold, level)) return;
      send(notification('notifications/message', { level, logger, data: data === undefined ? message : { message, data } }));
    },
    progress(progress, total, message) {
      if (progressToken === undefined || !Number.isFinite(progress)) return;
      const params: Record<string, unknown> = { progressToken, progress };
      if (total !== undefined && Number.isFinite(total)) params.total = total;
      if (message !== undefined) params.message = message;
      send(notification('notifications/progress', params));
    },
  };
}
