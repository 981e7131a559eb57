/**
 * Host and Origin checks in front of every MCP route (DESIGN section 8, "HTTP guards"): the defence
 * against DNS rebinding, where a web page on evil.example resolves its own name to 127.0.0.1 and has the
 * browser talk to a local daemon.
 *
 *   configured allow-list     Host must match an `allowed_hosts` entry; a present Origin an
 *                             `allowed_origins` entry
 *   bound to loopback         only loopback names pass: localhost, 127.0.0.1, [::1], any port
 *   bound elsewhere           Host is not checked (a proxy in front owns it); a present Origin must name
 *                             the same host as the Host header
 *
 * Entries: `name` or `name:*` (any port), `name:port`, or `*` (anything). Origins are compared as
 * `scheme://host[:port]`, or by the same host forms. Probe routes (/health, /ready, /metrics) are exempt:
 * orchestrators send `Host: <pod-ip>:8000`.
 */
import { Errors, type MxcpError } from '../../../sdk/errors/index.js';

export interface GuardOptions {
  /** The host the server is bound to (`--host` / `transport.http.host`). */
  readonly boundHost: string;
  readonly allowedHosts?: readonly string[];
  readonly allowedOrigins?: readonly string[];
}

/** Returns the coded error to answer with (403), or undefined when the request may pass. */
export type Guard = (host: string | undefined, origin: string | undefined) => MxcpError | undefined;

const kLoopbackNames = ['localhost', '127.0.0.1', '[::1]'];

export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase();
  return h === 'localhost' || h === '::1' || h === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

export function compileGuard(options: GuardOptions): Guard {
  const loopback = isLoopbackHost(options.boundHost);
  const hostRules = options.allowedHosts?.length ? options.allowedHosts : loopback ? kLoopbackNames : undefined;
  const hostOk = hostRules ? hostMatcher(hostRules) : () => true;
  const originRules = options.allowedOrigins?.length ? options.allowedOrigins : loopback ? kLoopbackNames : undefined;
  const originOk = originRules ? originMatcher(originRules) : undefined;

  return (host, origin) => {
    if (!hostOk(host ?? '')) return new Errors.MXCP_E_MCP_FORBIDDEN_HOST({ host: host ?? '(none)' });
    if (origin === undefined) return undefined; // not a browser: nothing to check
    const ok = originOk ? originOk(origin) : sameHost(origin, host);
    return ok ? undefined : new Errors.MXCP_E_MCP_FORBIDDEN_ORIGIN({ origin });
  };
}

/** Splits `name[:port]` (IPv6 in brackets) into a lower-case name and the port text ('' when absent). */
export function splitHost(hostHeader: string): { name: string; port: string } {
  const h = hostHeader.trim().toLowerCase();
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    if (end === -1) return { name: h, port: '' };
    return { name: h.slice(0, end + 1), port: h[end + 1] === ':' ? h.slice(end + 2) : '' };
  }
  const colon = h.lastIndexOf(':');
  if (colon === -1 || h.indexOf(':') !== colon) return { name: h, port: '' };
  return { name: h.slice(0, colon), port: h.slice(colon + 1) };
}

function hostMatcher(rules: readonly string[]): (host: string) => boolean {
  const compiled = rules.map((r) => (r === '*' ? undefined : splitHost(r)));
  return (host) => {
    if (compiled.includes(undefined)) return true;
    const { name, port } = splitHost(host);
    return compiled.some(
      (rule) => rule !== undefined && rule.name === name && (rule.port === '' || rule.port === '*' || rule.port === port),
    );
  };
}

function originMatcher(rules: readonly string[]): (origin: string) => boolean {
  const exact = new Set(rules.filter((r) => r.includes('://')).map((r) => r.toLowerCase().replace(/\/+$/, '')));
  const byHost = hostMatcher(rules.filter((r) => !r.includes('://')));
  const anyHostRule = rules.some((r) => !r.includes('://'));
  return (origin) => {
    if (rules.includes('*')) return true;
    const normalized = origin.trim().toLowerCase();
    if (exact.has(normalized)) return true;
    const host = originHost(normalized);
    return anyHostRule && host !== undefined && byHost(host);
  };
}

/** `host[:port]` of an origin; undefined for `null` and anything unparsable. */
function originHost(origin: string): string | undefined {
  try {
    return new URL(origin).host || undefined;
  } catch {
    return undefined;
  }
}

function sameHost(origin: string, host: string | undefined): boolean {
  if (host === undefined) return false;
  const fromOrigin = originHost(origin.trim().toLowerCase());
  if (fromOrigin === undefined) return false;
  return splitHost(fromOrigin).name === splitHost(host).name;
}
