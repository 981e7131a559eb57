/**
 * HTTP plumbing of the OAuth endpoints: form and JSON bodies (small limit), OAuth error bodies
 * (`{"error","error_description"}`, RFC 6749 5.2), `Cache-Control: no-store` on everything carrying tokens,
 * redirects that add parameters to a registered URI, and CORS for browser-based clients.
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { readBody } from '../transports/http/request-body.js';

export const kOAuthBodyLimit = 64 * 1024;

export class OAuthError extends Error {
  readonly status: number;
  readonly error: string;
  readonly headers: OutgoingHttpHeaders | undefined;

  constructor(status: number, error: string, description: string, headers?: OutgoingHttpHeaders) {
    super(description);
    this.status = status;
    this.error = error;
    this.headers = headers;
  }
}

/** An error reported to the client by redirecting to its (already verified) redirect URI (RFC 6749 4.1.2.1). */
export class OAuthRedirect extends OAuthError {
  readonly location: string;

  constructor(redirectUri: string, error: string, description: string, extra: Readonly<Record<string, string | undefined>>) {
    super(302, error, description);
    this.location = withParams(redirectUri, { error, error_description: description, ...extra });
  }
}

const kCors: OutgoingHttpHeaders = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': 'authorization, content-type, mcp-protocol-version',
};

export function sendOAuthJson(res: ServerResponse, status: number, body: unknown, headers?: OutgoingHttpHeaders): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...kCors,
    'cache-control': 'no-store',
    pragma: 'no-cache',
    ...headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

export function sendOAuthError(res: ServerResponse, err: OAuthError): void {
  if (err instanceof OAuthRedirect) redirect(res, err.location);
  else sendOAuthJson(res, err.status, { error: err.error, error_description: err.message }, err.headers);
}

export function sendPreflight(res: ServerResponse): void {
  res.writeHead(204, { ...kCors, 'access-control-max-age': '86400' });
  res.end();
}

export function redirect(res: ServerResponse, target: string): void {
  res.writeHead(302, { location: target, 'cache-control': 'no-store' });
  res.end();
}

/** `base` with `params` added to its query (existing query parameters of a registered URI are kept). */
export function withParams(base: string, params: Readonly<Record<string, string | undefined>>): string {
  const url = new URL(base);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return url.toString();
}

/** Parameters of a GET query or a form POST (`/authorize` accepts both). */
export async function requestParams(req: IncomingMessage, query: URLSearchParams): Promise<URLSearchParams> {
  if (req.method !== 'POST') return query;
  return readForm(req);
}

export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const type = req.headers['content-type']?.split(';', 1)[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    throw new OAuthError(400, 'invalid_request', 'the body must be application/x-www-form-urlencoded');
  }
  const params = new URLSearchParams(await readLimited(req));
  // RFC 6749 3.1: parameters must not be repeated.
  for (const key of new Set(params.keys())) {
    if (params.getAll(key).length > 1) throw new OAuthError(400, 'invalid_request', `parameter '${key}' is repeated`);
  }
  return params;
}

export async function readJsonObject(req: IncomingMessage): Promise<Record<string, unknown>> {
  const type = req.headers['content-type']?.split(';', 1)[0]?.trim().toLowerCase();
  if (type !== 'application/json') throw new OAuthError(400, 'invalid_client_metadata', 'the body must be application/json');
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readLimited(req));
  } catch {
    throw new OAuthError(400, 'invalid_client_metadata', 'the body is not valid JSON');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new OAuthError(400, 'invalid_client_metadata', 'the body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

async function readLimited(req: IncomingMessage): Promise<string> {
  try {
    return await readBody(req, kOAuthBodyLimit);
  } catch {
    throw new OAuthError(413, 'invalid_request', `the body is larger than ${kOAuthBodyLimit} bytes`);
  }
}

/** Client credentials from HTTP Basic (client_secret_basic) or the form (client_secret_post). */
export function clientCredentials(
  req: IncomingMessage,
  form: URLSearchParams,
): { clientId: string | undefined; secret: string | undefined; method: 'basic' | 'post' | 'none' } {
  const auth = req.headers.authorization;
  if (auth && /^basic /i.test(auth)) {
    const decoded = Buffer.from(auth.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) {
      return {
        clientId: decodeURIComponent(decoded.slice(0, colon)),
        secret: decodeURIComponent(decoded.slice(colon + 1)),
        method: 'basic',
      };
    }
  }
  const secret = form.get('client_secret') ?? undefined;
  return { clientId: form.get('client_id') ?? undefined, secret, method: secret === undefined ? 'none' : 'post' };
}
