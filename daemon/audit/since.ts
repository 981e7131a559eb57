/** `--since 10s|5m|2h|1d` (MXCP's syntax, case-insensitive), measured back from now in UTC. */
import { auditErrors } from '../../sdk/errors/audit.js';

const kUnitMs: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** The cutoff instant (ms since the epoch) for `value`, or a usage error naming the accepted forms. */
export function parseSince(value: string, now = Date.now()): number {
  const m = /^(\d+)([smhd])$/i.exec(value.trim());
  if (!m) throw new auditErrors.MXCP_E_AUDIT_SINCE_INVALID({ value });
  return now - Number(m[1]) * (kUnitMs[m[2]!.toLowerCase()] ?? 0);
}
