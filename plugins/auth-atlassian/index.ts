/** Atlassian Cloud OAuth 2.0 (3LO): audience `api.atlassian.com`, consent prompt, the user from `/me`. */
import {
  defineAuthProvider,
  fixedProviderOptions,
  ProfileProvider,
  pickUsername,
  profileFields,
  userinfoUrl,
} from '../../sdk/oauth-upstream.js';

export default defineAuthProvider('atlassian', (config) => {
  const options = fixedProviderOptions('atlassian', config, {
    authorizeUrl: 'https://auth.atlassian.com/authorize',
    tokenUrl: 'https://auth.atlassian.com/oauth/token',
  });
  return new ProfileProvider(
    { ...options, extraAuthorizeParams: { audience: 'api.atlassian.com', prompt: 'consent' } },
    userinfoUrl(config, 'https://api.atlassian.com/me'),
    (me) => {
      const id = String(me.account_id ?? '');
      return { userId: id, username: pickUsername(me, ['nickname'], id), ...profileFields(me), rawProfile: me };
    },
  );
});
