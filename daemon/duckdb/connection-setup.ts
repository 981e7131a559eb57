/**
 * What each new connection gets before it joins the pool (reference/mxcp-core.md 9.1): extensions, then
 * secrets. Extension and secret state in DuckDB is instance-wide, so installing and creating secrets
 * happens once per runtime (on its first connection) and every connection then LOADs the extensions,
 * which is a no-op for an already loaded one.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { Errors } from '../../sdk/errors/index.js';
import type { SiteConfig, UserSecret } from '../config/types.js';
import type { Logger } from '../logging/logger.js';
import { registerContextFunctions } from './context-functions.js';
import type { SharedInstance } from './instance-registry.js';
import { scrubSecretError, secretStatement, sqlString } from './secret-sql.js';

export interface ExtensionSpec {
  readonly name: string;
  readonly repo?: string;
}

const kExtensionName = /^[A-Za-z0-9_]+$/;

function firstLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.split('\n')[0] ?? message;
}

/** Validates the site's `extensions:` entries; an invalid name is a coded error naming it. */
export function extensionSpecs(entries: SiteConfig['extensions']): ExtensionSpec[] {
  return entries.map((entry) => {
    const spec: ExtensionSpec =
      typeof entry === 'string' ? { name: entry } : entry.repo ? { name: entry.name, repo: entry.repo } : { name: entry.name };
    if (!kExtensionName.test(spec.name)) {
      throw new Errors.MXCP_E_DB_EXTENSION({ name: spec.name, detail: 'not a valid extension name (letters, digits and _ only)' });
    }
    return spec;
  });
}

/**
 * INSTALL what is not installed yet (statically linked and previously installed extensions are not
 * downloaded again: INSTALL of a built-in one would try the network and fail offline), then LOAD.
 */
export async function installExtensions(conn: DuckDBConnection, specs: readonly ExtensionSpec[], logger: Logger): Promise<void> {
  for (const spec of specs) {
    try {
      const reader = await conn.runAndReadAll(
        'SELECT bool_or(installed) AS installed FROM duckdb_extensions() WHERE extension_name = $n OR list_contains(aliases, $n)',
        { n: spec.name },
      );
      if (reader.getRowObjects()[0]?.installed !== true) {
        const from = spec.repo === undefined ? '' : ` FROM ${kExtensionName.test(spec.repo) ? spec.repo : sqlString(spec.repo)}`;
        logger.debug({ extension: spec.name, repo: spec.repo }, 'installing DuckDB extension');
        await conn.run(`INSTALL ${spec.name}${from}`);
      }
    } catch (err) {
      throw new Errors.MXCP_E_DB_EXTENSION({ name: spec.name, detail: firstLine(err) }, { cause: err });
    }
  }
  await loadExtensions(conn, specs);
}

export async function loadExtensions(conn: DuckDBConnection, specs: readonly ExtensionSpec[]): Promise<void> {
  for (const spec of specs) {
    try {
      await conn.run(`LOAD ${spec.name}`);
    } catch (err) {
      throw new Errors.MXCP_E_DB_EXTENSION({ name: spec.name, detail: firstLine(err) }, { cause: err });
    }
  }
}

/**
 * Creates each secret that has parameters as a DuckDB temporary secret. A failure (a type DuckDB does
 * not know, such as `database` or `custom`) is logged at debug level, without the values, and ignored:
 * the secret stays available to endpoint code through `config.getSecret`.
 */
export async function createSecrets(conn: DuckDBConnection, secrets: readonly UserSecret[], logger: Logger): Promise<string[]> {
  const created: string[] = [];
  for (const secret of secrets) {
    const stmt = secretStatement(secret);
    if (!stmt.ok) {
      logger.debug({ secret: stmt.name }, `not creating a DuckDB secret for ${stmt.name}: ${stmt.reason}`);
      continue;
    }
    try {
      await conn.run(stmt.sql);
      created.push(stmt.name);
    } catch (err) {
      const detail = scrubSecretError(err instanceof Error ? err.message : String(err), stmt.values);
      logger.debug({ secret: stmt.name, type: secret.type }, `DuckDB did not accept secret ${stmt.name}: ${detail}`);
    }
  }
  return created;
}

/** First connection of a runtime: instance-wide state (functions, installs, secrets). */
export async function setUpInstance(
  shared: SharedInstance,
  conn: DuckDBConnection,
  specs: readonly ExtensionSpec[],
  secrets: readonly UserSecret[],
  logger: Logger,
): Promise<void> {
  if (!shared.functionsRegistered) {
    registerContextFunctions(conn, shared.contexts);
    shared.functionsRegistered = true;
  }
  await installExtensions(conn, specs, logger);
  const created = await createSecrets(conn, secrets, logger);
  // A reload reusing the instance: secrets removed from the config must not linger.
  for (const stale of shared.secretNames.filter((name) => !created.includes(name))) {
    await conn
      .run(`DROP TEMPORARY SECRET IF EXISTS ${stale}`)
      .catch((err: unknown) => logger.debug({ err, secret: stale }, 'could not drop secret'));
  }
  shared.secretNames = created;
}
