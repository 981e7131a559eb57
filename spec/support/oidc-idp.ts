/**
 * A real OpenID Connect provider for auth specs (`oidc-provider`, the certified Node implementation), standing
 * in for Keycloak and any generic OIDC issuer. Login and consent are approved automatically for the account
 * `alice` (the interaction routes finish at once), so a flow runs headlessly through real redirects.
 *
 * It also issues JWT access tokens for client_credentials with a `resource` (RFC 8707), for verifier mode,
 * and exposes its signing key so a spec can forge tokens that differ in one respect (expired, wrong audience).
 */
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type ClientMetadata } from 'oidc-provider';

export interface Idp {
  readonly issuer: string;
  readonly configUrl: string;
  /** The private signing key as a JWK (with `kid`), to forge tokens in negative cases. */
  readonly privateJwk: Record<string, unknown>;
  readonly provider: Provider;
  /** Closes the listener (and drops open connections), e.g. to simulate an outage. */
  close(): Promise<void>;
}

export const kAlice = {
  sub: 'alice',
  email: 'alice@example.com',
  email_verified: true,
  name: 'Alice Analyst',
  preferred_username: 'alice',
  role: 'analyst',
};

/** The IdP's registration of mxcp itself (issuer mode's upstream client), redirecting to mxcp's /oidc/callback. */
export function upstreamClient(mxcpPort: number): ClientMetadata {
  return {
    client_id: 'mxcp-upstream',
    client_secret: 'upstream-secret',
    redirect_uris: [`http://localhost:${mxcpPort}/oidc/callback`],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_post',
  };
}

/** The user config's auth block for issuer mode on that IdP (indented for `projects.<p>.profiles.<p>.auth`). */
export function oidcIssuerAuth(idp: Idp, extra = ''): string {
  return `        auth:
          provider: oidc
          oidc:
            config_url: ${idp.configUrl}
            client_id: mxcp-upstream
            client_secret: upstream-secret
            scope: openid profile email
            callback_path: /oidc/callback
${extra}`;
}

export async function startIdp(options: { clients: ClientMetadata[]; port?: number }): Promise<Idp> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  const issuer = `http://127.0.0.1:${port}`;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateJwk = { ...(privateKey.export({ format: 'jwk' }) as Record<string, unknown>), kid: 'spec-key-1', alg: 'RS256', use: 'sig' };
  const provider = new Provider(issuer, {
    clients: options.clients,
    jwks: { keys: [privateJwk as never] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'preferred_username', 'role'] },
    scopes: ['openid', 'offline_access', 'email', 'profile', 'mcp:read'],
    findAccount: async (_ctx, sub) => ({ accountId: sub, claims: async () => ({ ...kAlice, sub }) }),
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: { enabled: true },
      revocation: { enabled: true },
      resourceIndicators: {
        enabled: true,
        // No default: code-flow tokens stay for userinfo; a JWT for a resource only when one is asked for.
        defaultResource: () => undefined as unknown as string,
        useGrantedResource: () => false,
        getResourceServerInfo: (_ctx, resource) => ({
          scope: 'mcp:read',
          audience: resource,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    // Refresh tokens for the code flow without the offline_access prompt dance.
    issueRefreshToken: async () => true,
    pkce: { required: () => false },
  });
  provider.proxy = false;
  const callback = provider.callback();
  server.on('request', (req, res) => {
    if (req.url?.startsWith('/interaction/')) {
      void autoApprove(provider, req, res).catch((err: unknown) => {
        res.statusCode = 500;
        res.end(String(err));
      });
      return;
    }
    callback(req, res);
  });
  return {
    issuer,
    configUrl: `${issuer}/.well-known/openid-configuration`,
    privateJwk,
    provider,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Login as alice, then grant every requested scope and claim: the test IdP's "user" always says yes. */
async function autoApprove(
  provider: Provider,
  req: Parameters<Provider['interactionDetails']>[0],
  res: Parameters<Provider['interactionDetails']>[1],
) {
  const details = await provider.interactionDetails(req, res);
  if (details.prompt.name === 'login') {
    await provider.interactionFinished(req, res, { login: { accountId: 'alice' } }, { mergeWithLastSubmission: false });
    return;
  }
  const accountId = details.session?.accountId ?? 'alice';
  const clientId = String(details.params.client_id);
  const grant = details.grantId ? await provider.Grant.find(details.grantId) : new provider.Grant({ accountId, clientId });
  if (!grant) throw new Error('grant vanished');
  const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

/** A browser, minimally: follows redirects by hand, keeps cookies per host, stops at `stopAt` (the client's redirect URI). */
export async function browse(
  start: string,
  stopAt: string,
  jar = new Map<string, string[]>(),
): Promise<{ url: string; status: number; body: string }> {
  let url = start;
  for (let hop = 0; hop < 30; hop++) {
    if (url.startsWith(stopAt)) return { url, status: 302, body: '' };
    const host = new URL(url).host;
    const res = await fetch(url, { redirect: 'manual', headers: { cookie: (jar.get(host) ?? []).join('; ') } });
    const cookies = res.headers.getSetCookie();
    if (cookies.length > 0) {
      const kept = new Map((jar.get(host) ?? []).map((c) => [c.split('=')[0], c]));
      for (const c of cookies) {
        const pair = c.split(';')[0] as string;
        kept.set(pair.split('=')[0], pair);
      }
      jar.set(host, [...kept.values()]);
    }
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      await res.text();
      url = new URL(location, url).toString();
      continue;
    }
    return { url, status: res.status, body: await res.text() };
  }
  throw new Error(`too many redirects from ${start}`);
}
