/** User contexts given as JSON: `--user-context` (provider `cli`) and a test's `user_context` (provider `test`). */
import { Errors } from '../../sdk/errors/index.js';
import type { UserContext } from '../../sdk/user-context.js';

/** A user context from JSON, as MXCP builds it for the CLI (`provider: cli`, ids default to `cli_user`). */
export function userContextFromJson(raw: unknown, provider: 'cli' | 'test', what = '--user-context'): UserContext {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new Errors.MXCP_E_CLI_USAGE({ detail: `${what} must be a JSON object` });
  const o = raw as Record<string, unknown>;
  const fallback = `${provider}_user`;
  const str = (v: unknown) => (v === undefined || v === null ? undefined : String(v));
  return {
    provider,
    userId: str(o.user_id) ?? fallback,
    username: str(o.username) ?? fallback,
    email: str(o.email),
    name: str(o.name),
    avatarUrl: str(o.avatar_url),
    rawProfile: o,
    externalToken: str(o.external_token),
    capabilities: Array.isArray(o.capabilities) ? o.capabilities.map(String) : [],
  };
}
