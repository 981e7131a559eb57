/**
 * `CREATE OR REPLACE TEMPORARY SECRET name (TYPE t, KEY 'value', MAPKEY MAP {'k': 'v'})` for a user-config
 * secret (reference/mxcp-ops.md 4.5). DuckDB's CREATE SECRET takes no bound parameters, so values are
 * written as SQL string literals with every `'` doubled: standard SQL strings have no other escape, so a
 * value cannot end its literal early (MXCP's unescaped quoting is a quirk we fix). Names, the type and
 * keys are identifiers and are validated instead: one that is not a plain identifier is left out.
 * `OR REPLACE`: temporary secrets live in the instance's secret manager, shared by its connections and
 * by a reloaded generation that reuses the instance, which must see changed values.
 */
import type { UserSecret } from '../config/types.js';

const kIdentifier = /^[A-Za-z_][A-Za-z0-9_]*$/;

export type SecretStatement =
  | { readonly ok: true; readonly name: string; readonly sql: string; readonly values: readonly string[] }
  | { readonly ok: false; readonly name: string; readonly reason: string };

/** `'it''s'`. */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return undefined;
}

/**
 * Builds the statement, or says why there is none. `values` lists the literal values, so a caller can
 * scrub them from DuckDB's error text (which may quote the statement) before logging it.
 */
export function secretStatement(secret: UserSecret): SecretStatement {
  const { name, type } = secret;
  if (!kIdentifier.test(name)) return { ok: false, name, reason: 'the name is not a plain SQL identifier' };
  if (!kIdentifier.test(type)) return { ok: false, name, reason: 'the type is not a plain SQL identifier' };
  if (Object.keys(secret.parameters ?? {}).length === 0) return { ok: false, name, reason: 'it has no parameters' };
  const options: string[] = [`TYPE ${type}`];
  const values: string[] = [];
  for (const [key, value] of Object.entries(secret.parameters ?? {})) {
    if (!kIdentifier.test(key)) return { ok: false, name, reason: `parameter key ${JSON.stringify(key)} is not a plain SQL identifier` };
    if (value === null || value === undefined) continue;
    if (typeof value === 'object' && !Array.isArray(value)) {
      const pairs: string[] = [];
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        const text = scalarText(v) ?? JSON.stringify(v);
        values.push(k, text);
        pairs.push(`${sqlString(k)}: ${sqlString(text)}`);
      }
      options.push(`${key} MAP {${pairs.join(', ')}}`);
    } else if (Array.isArray(value)) {
      const items = value.map((v) => scalarText(v) ?? JSON.stringify(v));
      values.push(...items);
      options.push(`${key} [${items.map(sqlString).join(', ')}]`);
    } else {
      const text = scalarText(value) ?? String(value);
      values.push(text);
      options.push(`${key} ${sqlString(text)}`);
    }
  }
  return { ok: true, name, sql: `CREATE OR REPLACE TEMPORARY SECRET ${name} (${options.join(', ')})`, values };
}

/** DuckDB's message without the values it may quote, and without the statement excerpt after it. */
export function scrubSecretError(message: string, values: readonly string[]): string {
  let text = message.split('\n')[0] ?? '';
  for (const v of values) if (v.length > 0) text = text.replaceAll(v, '[REDACTED]');
  return text;
}
