/**
 * The server's public base URL (issuer, callback, resource URIs), as MXCP's URLBuilder: `transport.http.base_url`
 * wins; otherwise scheme://host[:port] of the bound address, where the scheme and host come from
 * `X-Forwarded-Proto` / `X-Forwarded-Host` only when `trust_proxy` is set (and no base_url is configured).
 */
import type { IncomingMessage } from 'node:http';
import { authErrors } from '../../sdk/errors/auth.js';

export interface BaseUrlOptions {
  readonly baseUrl?: string;
  readonly scheme: 'http' | 'https';
  readonly host: string;
  /** The bound port (known after listen). */
  readonly port: () => number;
  readonly trustProxy: boolean;
}

export function baseUrlOf(req: IncomingMessage, options: BaseUrlOptions): string {
  if (options.baseUrl) return options.baseUrl.replace(/\/+$/, '');
  let scheme: string = options.scheme;
  let host = hostPart(options.host, options.port(), scheme);
  if (options.trustProxy) {
    const proto = first(req.headers['x-forwarded-proto']);
    if (proto === 'http' || proto === 'https') scheme = proto;
    const fwdHost = first(req.headers['x-forwarded-host']);
    if (fwdHost && /^[A-Za-z0-9.:[\]-]+$/.test(fwdHost)) host = fwdHost;
  }
  return `${scheme}://${host}`;
}

/**
 * OAuth 2.1 / the MCP SDK: an issuer must be HTTPS unless it is loopback. Checked once at start from the
 * static configuration (a proxy-derived URL is checked per request by the same rule).
 */
export function checkIssuerUrl(base: string): void {
  const url = new URL(base);
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !loopback) {
    throw new authErrors.MXCP_E_AUTH_CONFIG({
      where: 'transport.http.base_url',
      detail: `Issuer URL must be HTTPS (got ${base}); set base_url to the public https:// address (behind a TLS proxy) or serve TLS`,
    });
  }
}

function hostPart(host: string, port: number, scheme: string): string {
  const name = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  const defaultPort = (scheme === 'http' && port === 80) || (scheme === 'https' && port === 443);
  return defaultPort ? name : `${name}:${port}`;
}

function first(v: string | string[] | undefined): string | undefined {
  const s = Array.isArray(v) ? v[0] : v;
  return s?.split(',')[0]?.trim().toLowerCase() || undefined;
}
