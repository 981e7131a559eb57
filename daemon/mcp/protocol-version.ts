/**
 * The protocol revisions served, in two eras:
 *
 *   legacy  2025-03-26, 2025-06-18, 2025-11-25   initialize handshake, sessions, logging/setLevel
 *   modern  2026-07-28                             no handshake: every request carries `_meta` with its
 *                                                  version and capabilities; `server/discover`
 *
 * Both eras are answered on the same endpoint and by the same dispatcher; the version of a request picks
 * its method table and the shape of its results.
 */

export const kModernVersion = '2026-07-28';

/** Newest first: `initialize` answers an unknown requested version with the first entry. */
export const kLegacyVersions = ['2025-11-25', '2025-06-18', '2025-03-26'] as const;

/** What `server/discover` and the UnsupportedProtocolVersion error advertise. */
export const kSupportedVersions: readonly string[] = [kModernVersion, ...kLegacyVersions];

/** The spec's assumption for a legacy request that carries no version at all. */
export const kDefaultLegacyVersion = '2025-03-26';

export type Era = 'legacy' | 'modern';

export function isLegacyVersion(version: string): boolean {
  return (kLegacyVersions as readonly string[]).includes(version);
}

export function isSupportedVersion(version: string): boolean {
  return version === kModernVersion || isLegacyVersion(version);
}

/** `initialize`: the requested version when served, else the newest legacy one (the client may then disconnect). */
export function negotiateLegacyVersion(requested: unknown): string {
  return typeof requested === 'string' && isLegacyVersion(requested) ? requested : kLegacyVersions[0];
}

/** Structured tool output (`outputSchema`, `structuredContent`) exists since 2025-06-18. */
export function hasStructuredOutput(version: string): boolean {
  return version !== '2025-03-26';
}
