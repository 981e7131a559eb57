/** How the server introduces itself: `initialize` (legacy era), `server/discover` and result `_meta` (modern). */
import { kPackageVersion } from '../package-root.js';
import type { Era } from './protocol-version.js';

/** MXCP's name, so clients that key on it keep working. The version is this package's. */
export const kServerInfo = Object.freeze({ name: 'MXCP Server', version: kPackageVersion });

/**
 * Capabilities. `listChanged` is advertised in the legacy era, where a reload can notify sessions on
 * their own channel; the modern era only delivers change notifications on `subscriptions/listen`, which
 * is not served yet, so it promises none. `logging` is advertised in both (deprecated in 2026-07-28, but
 * still how endpoint code reaches the client).
 */
export function serverCapabilities(era: Era): Record<string, unknown> {
  const listChanged = era === 'legacy';
  return {
    logging: {},
    completions: {},
    tools: { listChanged },
    resources: { subscribe: false, listChanged },
    prompts: { listChanged },
  };
}
