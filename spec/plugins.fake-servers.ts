/**
 * Small local HTTP servers speaking the documented APIs the secret backends call. No Vault or 1Password
 * server can be installed here, so the specs run the real plugins (undici, real HTTP) against these.
 *
 * - Vault: `GET /v1/<mount>/data/<path>` for KV v2 mounts (`{data: {data, metadata}}`), `GET /v1/<mount>/<path>`
 *   for KV v1 mounts (`{data}`), 404 `{errors: []}` for unknown paths, 403 `{errors: ["permission denied"]}`
 *   for a wrong `X-Vault-Token` (https://developer.hashicorp.com/vault/api-docs/secret/kv).
 * - 1Password Connect: `GET /v1/vaults[?filter=name eq "x"]`, `/v1/vaults/<id>`, `/v1/vaults/<id>/items[?filter=title eq
 *   "x"]`, `/v1/vaults/<id>/items/<id>` with `Authorization: Bearer <token>`; 401 `{status, message}` otherwise
 *   (https://developer.1password.com/docs/connect/api-reference/).
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

export interface FakeServer {
  readonly url: string;
  /** Requests seen: method, path with query, headers. */
  readonly requests: { path: string; headers: IncomingMessage['headers'] }[];
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, url: URL) => { status: number; body: unknown };

async function serve(handler: Handler, tls?: { key: string; cert: string }): Promise<FakeServer> {
  const requests: FakeServer['requests'] = [];
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    requests.push({ path: `${url.pathname}${url.search}`, headers: req.headers });
    const { status, body } = handler(req, url);
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  const server: Server = tls ? createHttpsServer(tls, listener) : createHttpServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface VaultState {
  token: string;
  /** mount → version; paths inside the mount → key/values. */
  mounts: Record<string, { version: 1 | 2; secrets: Record<string, Record<string, unknown>> }>;
}

export function fakeVault(state: VaultState, tls?: { key: string; cert: string }): Promise<FakeServer> {
  return serve((req, url) => {
    if (req.headers['x-vault-token'] !== state.token) return { status: 403, body: { errors: ['permission denied'] } };
    const [, v1, mount, ...rest] = url.pathname.split('/');
    const m = mount === undefined ? undefined : state.mounts[mount];
    if (v1 !== 'v1' || !m) return { status: 404, body: { errors: [] } };
    if (m.version === 2) {
      if (rest[0] !== 'data') return { status: 404, body: { errors: [] } };
      const data = m.secrets[rest.slice(1).join('/')];
      return data ? { status: 200, body: { data: { data, metadata: { version: 1 } } } } : { status: 404, body: { errors: [] } };
    }
    const data = m.secrets[rest.join('/')];
    return data ? { status: 200, body: { data, lease_duration: 2764800 } } : { status: 404, body: { errors: [] } };
  }, tls);
}

export interface ConnectItem {
  id: string;
  title: string;
  fields: { id: string; label: string; value?: string; type?: string; totp?: string }[];
}

export interface ConnectState {
  token: string;
  vaults: { id: string; name: string; items: ConnectItem[] }[];
}

/** `name eq "x"` / `title eq "x"`. */
function filterValue(url: URL): string | undefined {
  const m = /^(?:name|title) eq "(.*)"$/.exec(url.searchParams.get('filter') ?? '');
  return m?.[1];
}

export function fakeConnect(state: ConnectState): Promise<FakeServer> {
  return serve((req, url) => {
    if (req.headers.authorization !== `Bearer ${state.token}`)
      return { status: 401, body: { status: 401, message: 'Invalid bearer token' } };
    const parts = url.pathname.split('/').filter(Boolean); // v1 vaults <id> items <id>
    const notFound = { status: 404, body: { status: 404, message: 'Not found' } };
    if (parts[0] !== 'v1' || parts[1] !== 'vaults') return notFound;
    const wanted = filterValue(url);
    if (parts.length === 2) {
      const vaults = state.vaults.filter((v) => wanted === undefined || v.name === wanted).map(({ id, name }) => ({ id, name }));
      return { status: 200, body: vaults };
    }
    const vault = state.vaults.find((v) => v.id === parts[2]);
    if (!vault) return notFound;
    if (parts.length === 3) return { status: 200, body: { id: vault.id, name: vault.name } };
    if (parts[3] !== 'items') return notFound;
    if (parts.length === 4) {
      const items = vault.items.filter((i) => wanted === undefined || i.title === wanted).map(({ id, title }) => ({ id, title }));
      return { status: 200, body: items };
    }
    const item = vault.items.find((i) => i.id === parts[4]);
    return item ? { status: 200, body: item } : notFound;
  });
}
