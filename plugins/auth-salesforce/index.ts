/**
 * Salesforce OAuth 2.0 web server flow. No PKCE upstream (as MXCP). User info from `oauth2/userinfo`; MXCP
 * hard-codes login.salesforce.com even for sandboxes, here `userinfo_url` can point at the sandbox.
 */
import {
  defineAuthProvider,
  fixedProviderOptions,
  ProfileProvider,
  pickUsername,
  profileFields,
  userinfoUrl,
} from '../../sdk/oauth-upstream.js';

export default defineAuthProvider(
  'salesforce',
  (config) =>
    new ProfileProvider(
      fixedProviderOptions('salesforce', config, {
        authorizeUrl: 'https://login.salesforce.com/services/oauth2/authorize',
        tokenUrl: 'https://login.salesforce.com/services/oauth2/token',
        pkce: false,
      }),
      userinfoUrl(config, 'https://login.salesforce.com/services/oauth2/userinfo'),
      (info) => {
        const id = String(info.user_id ?? '');
        const photos = (info.photos ?? {}) as Record<string, unknown>;
        return {
          userId: id,
          username: pickUsername(info, ['username', 'preferred_username'], id),
          ...profileFields({ ...info, picture: photos.picture }),
          rawProfile: info,
        };
      },
    ),
);
