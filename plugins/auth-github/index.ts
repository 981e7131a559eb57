/**
 * GitHub OAuth apps. GitHub separates granted scopes with commas, issues no refresh token for OAuth apps
 * (so refresh fails, as in MXCP), and hides the email when the user keeps it private: then `/user/emails`
 * gives the primary verified one.
 */
import type { AuthUserInfo } from '../../sdk/auth-provider.js';
import {
  defineAuthProvider,
  fetchUpstream,
  fixedProviderOptions,
  OAuth2Provider,
  type OAuth2ProviderOptions,
  profileFields,
  userinfoUrl,
} from '../../sdk/oauth-upstream.js';

const kApiHeaders = { accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28' };

interface GithubEmail {
  readonly email?: string;
  readonly primary?: boolean;
  readonly verified?: boolean;
}

export class GithubProvider extends OAuth2Provider {
  readonly #userUrl: string;

  constructor(options: OAuth2ProviderOptions, userUrl: string) {
    super(options);
    this.#userUrl = userUrl;
  }

  async fetchUserInfo(accessToken: string): Promise<AuthUserInfo> {
    const user = await this.getJson(this.#userUrl, accessToken, kApiHeaders);
    const id = String(user.id ?? '');
    const email = typeof user.email === 'string' && user.email !== '' ? user.email : await this.#primaryEmail(accessToken);
    const profile = { ...user, ...(email ? { email } : {}) };
    // MXCP: login, else the id (not the email's local part).
    const username = typeof user.login === 'string' && user.login !== '' ? user.login : id;
    return { userId: id, username, ...profileFields(profile, { avatar: 'avatar_url' }), rawProfile: profile };
  }

  /** Primary and verified, else verified, else any: MXCP's order. No email is not an error. */
  async #primaryEmail(accessToken: string): Promise<string | undefined> {
    let list: unknown;
    try {
      list = await fetchUpstream(this.name, `${this.#userUrl}/emails`, {
        headers: { ...kApiHeaders, authorization: `Bearer ${accessToken}` },
      });
    } catch {
      return undefined;
    }
    const emails = (Array.isArray(list) ? list : []) as GithubEmail[];
    const pick = emails.find((e) => e.primary && e.verified) ?? emails.find((e) => e.verified) ?? emails[0];
    return pick?.email;
  }
}

export default defineAuthProvider(
  'github',
  (config) =>
    new GithubProvider(
      {
        ...fixedProviderOptions('github', config, {
          authorizeUrl: 'https://github.com/login/oauth/authorize',
          tokenUrl: 'https://github.com/login/oauth/access_token',
        }),
        scopeSeparator: ',',
      },
      userinfoUrl(config, 'https://api.github.com/user'),
    ),
);
