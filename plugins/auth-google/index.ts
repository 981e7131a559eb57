/** Google OAuth 2.0: offline access and a consent prompt (so a refresh token comes back), userinfo v2. */
import {
  defineAuthProvider,
  fixedProviderOptions,
  ProfileProvider,
  pickUsername,
  profileFields,
  userinfoUrl,
} from '../../sdk/oauth-upstream.js';

export default defineAuthProvider('google', (config) => {
  const options = fixedProviderOptions('google', config, {
    authorizeUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
    tokenUrl: 'https://oauth2.googleapis.com/token',
  });
  return new ProfileProvider(
    { ...options, extraAuthorizeParams: { access_type: 'offline', prompt: 'consent' } },
    userinfoUrl(config, 'https://www.googleapis.com/oauth2/v2/userinfo'),
    (profile) => {
      const id = String(profile.sub ?? profile.id ?? '');
      return { userId: id, username: pickUsername(profile, [], id), ...profileFields(profile), rawProfile: profile };
    },
  );
});
