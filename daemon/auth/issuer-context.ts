/** What every OAuth endpoint of the issuer works with, and the URLs of one request (base URL dependent). */
import type { AuthProvider } from '../../sdk/auth-provider.js';
import type { Logger } from '../logging/logger.js';
import type { AuthSettings } from './auth-settings.js';
import type { OAuthRecords } from './oauth-records.js';

export interface IssuerContext {
  readonly settings: AuthSettings;
  readonly provider: AuthProvider;
  readonly records: OAuthRecords;
  readonly logger: Logger;
}

export interface IssuerUrls {
  /** The issuer identifier and base of every endpoint (no trailing slash). */
  readonly base: string;
  /** The protected resource: the MCP endpoint's canonical URI (RFC 8707). */
  readonly resource: string;
  /** The provider's callback on this server. */
  readonly callback: string;
}

/** RFC 8707 / MCP: a `resource` names us when it is our MCP endpoint or our base, scheme and host case-insensitive. */
export function namesThisResource(resource: string, urls: IssuerUrls): boolean {
  const norm = (u: string): string | undefined => {
    try {
      const url = new URL(u);
      if (url.hash) return undefined;
      return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}${url.search}`.toLowerCase();
    } catch {
      return undefined;
    }
  };
  const r = norm(resource);
  return r !== undefined && (r === norm(urls.resource) || r === norm(urls.base));
}
