/** Google OAuth 2.0: offline access and a consent prompt (so a refresh token comes back), userinfo v2. */
import type { AuthUserInfo } from '../../sdk/auth-provider.js';
import {
  defineAuthProvider,
  fixedProviderOptions,
  OAuth2Provider,
  type OAuth2ProviderOptions,
  pickUsername,
  userinfoUrl,
} from '../../sdk/oauth-upstream.js';

export class GoogleProvider extends OAuth2Provider {
  readonly #userinfo: string;

  constructor(options: OAuth2ProviderOptions, userinfo: string) {
    super(options);
    this.#userinfo = userinfo;
  }

  async fetchUserInfo(accessToken: string): Promise<AuthUserInfo> {
    const profile = await this.getJson(this.#userinfo, accessToken);
    const id = String(profile.sub ?? profile.id ?? '');
    return {
      userId: id,
      username: pickUsername(profile, [], id),
      ...(typeof profile.email === 'string' ? { email: profile.email } : {}),
      ...(typeof profile.name === 'string' ? { name: profile.name } : {}),
      ...(typeof profile.picture === 'string' ? { avatarUrl: profile.picture } : {}),
      rawProfile: profile,
    };
  }
}

export default defineAuthProvider('google', (config) => {
  const options = fixedProviderOptions('google', config, {
    authorizeUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
    tokenUrl: 'https://oauth2.googleapis.com/token',
  });
  return new GoogleProvider(
    { ...options, extraAuthorizeParams: { access_type: 'offline', prompt: 'consent' } },
    userinfoUrl(config, 'https://www.googleapis.com/oauth2/v2/userinfo'),
  );
});
