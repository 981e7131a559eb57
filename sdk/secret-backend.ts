/**
 * Secret backends resolve references found in string values of the configuration: `${VAR}` inside a
 * string, or a whole value such as `file://path`, `vault://path#key`, `op://vault/item/field`.
 *
 * The resolver walks the configuration and asks each backend in turn; adding a backend never changes the
 * resolver. Inline backends run first (so `file://${DIR}/token` works), then the first whole-value backend
 * whose `matches` accepts the value.
 */

export interface ResolveContext {
  /** Directory relative references (`file://rel`) resolve against: the process working directory. */
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The raw user configuration (references unresolved), for backend settings such as `vault.address`. */
  readonly userConfig: Readonly<Record<string, unknown>>;
  /** Dotted key path of the value being resolved, for messages. */
  readonly keyPath: string;
  /** Aborted when the load that asked for the value is abandoned (a reload superseded, shutdown). */
  readonly signal?: AbortSignal;
}

export interface SecretBackend {
  /** Short name used in messages and `mxcp plugins` (`env`, `file`, `vault`, `onepassword`). */
  readonly name: string;
  /** `inline`: substitutes inside a larger string. `whole`: the value must be exactly one reference. */
  readonly mode: 'inline' | 'whole';
  /** Cheap syntactic test; no I/O. */
  matches(value: string): boolean;
  /**
   * Returns the resolved string. Throws an Error whose message says what is wrong without the secret
   * itself; the resolver adds the key path and file position.
   */
  resolve(value: string, ctx: ResolveContext): Promise<string>;
}
