/**
 * Salesforce OAuth 2.0 web server flow. No PKCE upstream (as MXCP). User info from `oauth2/userinfo`; MXCP
 * hard-codes login.salesforce.com even for sandboxes, here `userinfo_url` can point at the sandbox.
 */
import type { AuthUserInfo } from '../../sdk/auth-provider.js';
import {
  defineAuthProvider,
  fixedProviderOptions,
  OAuth2Provider,
  type OAuth2ProviderOptions,
  pickUsername,
  userinfoUrl,
} from '../../sdk/oauth-upstream.js';

export class SalesforceProvider extends OAuth2Provider {
  readonly #userinfo: string;

  constructor(options: OAuth2ProviderOptions, userinfo: string) {
    super(options);
    this.#userinfo = userinfo;
  }

  async fetchUserInfo(accessToken: string): Promise<AuthUserInfo> {
    const info = await this.getJson(this.#userinfo, accessToken);
    const id = String(info.user_id ?? '');
    const photos = info.photos as { picture?: unknown } | undefined;
    return {
      userId: id,
      username: pickUsername(info, ['username', 'preferred_username'], id),
      ...(typeof info.email === 'string' ? { email: info.email } : {}),
      ...(typeof info.name === 'string' ? { name: info.name } : {}),
      ...(typeof photos?.picture === 'string' ? { avatarUrl: photos.picture } : {}),
      rawProfile: info,
    };
  }
}

export default defineAuthProvider(
  'salesforce',
  (config) =>
    new SalesforceProvider(
      fixedProviderOptions('salesforce', config, {
        authorizeUrl: 'https://login.salesforce.com/services/oauth2/authorize',
        tokenUrl: 'https://login.salesforce.com/services/oauth2/token',
        pkce: false,
      }),
      userinfoUrl(config, 'https://login.salesforce.com/services/oauth2/userinfo'),
    ),
);
