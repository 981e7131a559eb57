/** Atlassian Cloud OAuth 2.0 (3LO): audience `api.atlassian.com`, consent prompt, the user from `/me`. */
import type { AuthUserInfo } from '../../sdk/auth-provider.js';
import {
  defineAuthProvider,
  fixedProviderOptions,
  OAuth2Provider,
  type OAuth2ProviderOptions,
  pickUsername,
  userinfoUrl,
} from '../../sdk/oauth-upstream.js';

export class AtlassianProvider extends OAuth2Provider {
  readonly #me: string;

  constructor(options: OAuth2ProviderOptions, me: string) {
    super(options);
    this.#me = me;
  }

  async fetchUserInfo(accessToken: string): Promise<AuthUserInfo> {
    const me = await this.getJson(this.#me, accessToken);
    const id = String(me.account_id ?? '');
    return {
      userId: id,
      username: pickUsername(me, ['nickname'], id),
      ...(typeof me.email === 'string' ? { email: me.email } : {}),
      ...(typeof me.name === 'string' ? { name: me.name } : {}),
      ...(typeof me.picture === 'string' ? { avatarUrl: me.picture } : {}),
      rawProfile: me,
    };
  }
}

export default defineAuthProvider('atlassian', (config) => {
  const options = fixedProviderOptions('atlassian', config, {
    authorizeUrl: 'https://auth.atlassian.com/authorize',
    tokenUrl: 'https://auth.atlassian.com/oauth/token',
  });
  return new AtlassianProvider(
    { ...options, extraAuthorizeParams: { audience: 'api.atlassian.com', prompt: 'consent' } },
    userinfoUrl(config, 'https://api.atlassian.com/me'),
  );
});
