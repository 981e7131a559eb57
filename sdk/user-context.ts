/**
 * The identity a request runs as. Built by the auth layer (HTTP), from `--user-context` (CLI, provider
 * `cli`), from a test's `user_context` (provider `test`), or absent (anonymous).
 */
export interface UserContext {
  /** `github`, `google`, `keycloak`, `oidc`, ..., `cli`, `test`. */
  readonly provider: string;
  readonly userId: string;
  readonly username: string;
  readonly email?: string;
  readonly name?: string;
  readonly avatarUrl?: string;
  /** The whole profile as the provider (or the CLI JSON) gave it; policies read `role`, `permissions` here. */
  readonly rawProfile?: Readonly<Record<string, unknown>>;
  /** The upstream provider's access token, for endpoints that call the provider's API on the user's behalf. */
  readonly externalToken?: string;
  /** Derived from `claim_mappings`. */
  readonly capabilities: readonly string[];
}
