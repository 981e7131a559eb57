/**
 * An OpenID Connect upstream: user info from the `userinfo_endpoint`, identity from `sub` and
 * `preferred_username`. The `oidc` provider finds its endpoints in the discovery document (`config_url`,
 * fetched in `init`, so a broken issuer fails the start, as in MXCP); `keycloak` derives them from
 * `server_url` and `realm`.
 * @module
 */
import type { AuthUserInfo } from './auth-provider.js';
import { authErrors } from './errors/auth.js';
import { fetchDiscovery, OAuth2Provider, type OAuth2ProviderOptions, pickUsername, profileFields } from './oauth-upstream.js';

export interface OidcEndpoints {
  readonly authorizeUrl: string;
  readonly tokenUrl: string;
  readonly userinfoUrl: string;
}

export class OidcProvider extends OAuth2Provider {
  #userinfo: string;

  constructor(options: OAuth2ProviderOptions, userinfoUrl: string) {
    super(options);
    this.#userinfo = userinfoUrl;
  }

  /** Endpoints found later (discovery in `init`). */
  protected setEndpoints(endpoints: OidcEndpoints, pkce: boolean): void {
    this.options = { ...this.options, authorizeUrl: endpoints.authorizeUrl, tokenUrl: endpoints.tokenUrl, pkce };
    this.pkceMethods = pkce ? ['S256'] : [];
    this.#userinfo = endpoints.userinfoUrl;
  }

  async fetchUserInfo(accessToken: string): Promise<AuthUserInfo> {
    const info = await this.getJson(this.#userinfo, accessToken);
    const sub = info.sub;
    if (typeof sub !== 'string' || sub === '') {
      throw new authErrors.MXCP_E_AUTH_UPSTREAM_REJECTED({ provider: this.name, detail: "the userinfo response has no 'sub'" });
    }
    return { userId: sub, username: pickUsername(info, ['preferred_username'], sub), ...profileFields(info), rawProfile: info };
  }
}

/** The generic `oidc` provider: endpoints and PKCE support from the issuer's discovery document. */
export class DiscoveredOidcProvider extends OidcProvider {
  readonly #configUrl: string;

  constructor(options: OAuth2ProviderOptions, configUrl: string) {
    super(options, '');
    this.#configUrl = configUrl;
  }

  async init(): Promise<void> {
    const doc = await fetchDiscovery(this.name, this.#configUrl);
    const need = (key: string): string => {
      const v = doc[key];
      if (typeof v !== 'string' || v === '') {
        throw new authErrors.MXCP_E_AUTH_CONFIG({ where: 'auth.oidc.config_url', detail: `the discovery document has no '${key}'` });
      }
      return v;
    };
    const methods = Array.isArray(doc.code_challenge_methods_supported) ? doc.code_challenge_methods_supported : ['S256'];
    this.setEndpoints(
      { authorizeUrl: need('authorization_endpoint'), tokenUrl: need('token_endpoint'), userinfoUrl: need('userinfo_endpoint') },
      methods.includes('S256'),
    );
  }
}
