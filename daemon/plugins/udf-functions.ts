/**
 * Turns live `udf` instances into DuckDB scalar functions `<method>_<instance>`. Registration goes to the
 * instance's catalog (DuckDB scalar functions are instance-wide), so the runtime does it on the first
 * connection of each generation's pool; registering a name again replaces the function, which is how a
 * reload that reuses the database swaps a plugin's implementation.
 *
 * Types come from the declared signature, parsed by DuckDB itself (`SELECT NULL::<type>`), so every type
 * DuckDB knows is available without a parser here. Values cross with node-api's JS converters: VARCHAR ↔
 * string, INTEGER ↔ number, BIGINT ↔ bigint, DATE/TIMESTAMP ↔ Date, LIST ↔ array, STRUCT/MAP ↔ object.
 * NULL arguments reach the method as `null` (MXCP's null_handling=SPECIAL).
 */
import {
  type DuckDBConnection,
  DuckDBScalarFunction,
  type DuckDBType,
  type DuckDBValue,
  type JS,
  JSDuckDBValueConverter,
  JSToDuckDBValueConverter,
} from '@duckdb/node-api';
import { pluginErrors } from '../../sdk/errors/plugins.js';
import type { UdfSignature } from '../../sdk/udf.js';
import { kTypeText } from './contracts.js';
import type { LivePlugin } from './live-plugin.js';
import { messageOf } from './types.js';

export async function registerUdfs(connection: DuckDBConnection, lives: readonly LivePlugin[]): Promise<void> {
  const types = new Map<string, DuckDBType>();
  for (const live of lives) {
    const functions = live.instance.functions as Readonly<Record<string, UdfSignature>>;
    for (const [method, signature] of Object.entries(functions)) {
      const name = `${method}_${live.instanceName}`;
      try {
        const params: DuckDBType[] = [];
        for (const t of signature.parameters) params.push(await duckdbType(connection, t, types));
        const returns = await duckdbType(connection, signature.returns, types);
        connection.registerScalarFunction(scalarFunction(name, live, method, params, returns, signature.volatile === true));
      } catch (err) {
        throw new pluginErrors.MXCP_E_PLUGIN_CONTRACT(
          {
            plugin: live.name,
            kind: 'udf',
            detail: `${name}: ${messageOf(err)}`,
            required: `mxcp-site.yml plugin: entry '${live.instanceName}'`,
          },
          { cause: err },
        );
      }
    }
    live.logger.debug({ functions: Object.keys(functions).map((m) => `${m}_${live.instanceName}`) }, 'UDFs registered');
  }
}

async function duckdbType(connection: DuckDBConnection, text: string, cache: Map<string, DuckDBType>): Promise<DuckDBType> {
  const known = cache.get(text);
  if (known) return known;
  if (!kTypeText.test(text)) throw new Error(`'${text}' is not a DuckDB type name`);
  let type: DuckDBType | undefined;
  try {
    type = (await connection.runAndReadAll(`SELECT NULL::${text} AS t`)).columnTypes()[0];
  } catch (err) {
    throw new Error(`'${text}' is not a DuckDB type: ${messageOf(err).split('\n')[0]}`);
  }
  if (!type) throw new Error(`'${text}' is not a DuckDB type`);
  cache.set(text, type);
  return type;
}

function scalarFunction(
  name: string,
  live: LivePlugin,
  method: string,
  params: readonly DuckDBType[],
  returns: DuckDBType,
  volatile: boolean,
): DuckDBScalarFunction {
  return DuckDBScalarFunction.create({
    name,
    returnType: returns,
    parameterTypes: params,
    specialHandling: true,
    volatile,
    mainFunction: (info, input, output) => {
      // The catalog keeps a function until a newer generation registers the name again; a removed plugin's
      // function must not call into a closed instance.
      if (live.closed) {
        info.setError(`${name}: plugin '${live.name}' is no longer loaded`);
        return;
      }
      try {
        const fn = live.instance[method] as (...args: unknown[]) => unknown;
        const columns = params.map((_, c) => input.getColumnVector(c));
        for (let row = 0; row < input.rowCount; row++) {
          const args = columns.map((column, c) => toJs(column.getItem(row), params[c] as DuckDBType));
          const result = fn.apply(live.instance, args);
          if (result instanceof Promise) throw new Error('returned a Promise; UDF methods must be synchronous');
          output.setItem(
            row,
            result === null || result === undefined ? null : JSToDuckDBValueConverter(result as JS, returns, JSToDuckDBValueConverter),
          );
        }
        output.flush();
      } catch (err) {
        info.setError(`${name}: ${messageOf(err)}`);
      }
    },
  });
}

function toJs(value: DuckDBValue | null, type: DuckDBType): JS {
  return value === null ? null : JSDuckDBValueConverter(value, type, JSDuckDBValueConverter);
}
