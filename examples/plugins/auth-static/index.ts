/**
 * An auth provider without an upstream server: the "login page" is `login_url`, which is expected to
 * redirect back with `?code=<login code>`; each configured login code is one user. Tokens are random and
 * live in memory. It implements the whole contract, so the daemon's OAuth flow can be exercised offline.
 */
import { randomBytes } from 'node:crypto';
import {
  type AuthGrant,
  type AuthorizeRequest,
  type AuthProvider,
  type AuthUserInfo,
  type CodeExchange,
  definePlugin,
  injectable,
  kPluginConfig,
} from 'mxcp/sdk';

interface StaticUser {
  readonly username: string;
  readonly email?: string;
  readonly name?: string;
}

interface StaticConfig {
  readonly login_url: string;
  readonly users: Readonly<Record<string, StaticUser>>;
}

@injectable(kPluginConfig)
class StaticAuthProvider implements AuthProvider {
  readonly name = 'static';
  readonly callbackPath = '/static/callback';
  readonly pkceMethods: readonly string[] = [];
  readonly #tokens = new Map<string, string>();

  constructor(private readonly config: StaticConfig) {}

  authorizeUrl(request: AuthorizeRequest): string {
    const url = new URL(this.config.login_url);
    url.searchParams.set('redirect_uri', request.redirectUri);
    url.searchParams.set('state', request.state);
    return url.href;
  }

  async exchangeCode(request: CodeExchange): Promise<AuthGrant> {
    if (!Object.hasOwn(this.config.users, request.code)) throw new Error('unknown login code');
    return this.#grant(request.code);
  }

  async refreshToken(refreshToken: string): Promise<AuthGrant> {
    const code = this.#tokens.get(refreshToken);
    if (code === undefined) throw new Error('unknown refresh token');
    this.#tokens.delete(refreshToken);
    return this.#grant(code);
  }

  async fetchUserInfo(accessToken: string): Promise<AuthUserInfo> {
    const code = this.#tokens.get(accessToken);
    const user = code === undefined ? undefined : this.config.users[code];
    if (!user) throw new Error('unknown access token');
    return { userId: user.username, username: user.username, email: user.email, name: user.name, rawProfile: { ...user } };
  }

  close(): void {
    this.#tokens.clear();
  }

  #grant(code: string): AuthGrant {
    const accessToken = randomBytes(24).toString('base64url');
    const refreshToken = randomBytes(24).toString('base64url');
    this.#tokens.set(accessToken, code);
    this.#tokens.set(refreshToken, code);
    return { accessToken, refreshToken, expiresIn: 3600 };
  }
}

export default definePlugin({ kind: 'auth-provider', useClass: StaticAuthProvider });
