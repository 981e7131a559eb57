/**
 * The built-in SQL tools (MXCP section 15), served when `sql_tools.enabled` or `serve --sql-tools true`:
 * `execute_sql_query`, `list_tables`, `get_table_schema`. They run on the generation's database with the
 * caller's context (user, headers, cancellation), like a SQL endpoint, and return rows, so their
 * structured output is `{result: [...]}` with one text block per row.
 */

import { Errors } from '../../../sdk/errors/index.js';
import type { ExecutionContext } from '../../../sdk/execution-context.js';
import type { SiteConfig } from '../../config/types.js';
import type { DuckDBRuntime, QueryContext } from '../../duckdb/runtime.js';
import type { ToolEntry } from './tool-entries.js';

const kRowsOutput = {
  type: 'object',
  properties: { result: { type: 'array', items: { type: 'object' } } },
  required: ['result'],
};

interface SqlToolSpec {
  readonly name: 'execute_sql_query' | 'list_tables' | 'get_table_schema';
  readonly description: string;
  readonly param?: { readonly name: string; readonly description: string };
  readonly annotations: Readonly<Record<string, unknown>>;
  /** The SQL to run and its bound parameters, from validated arguments. */
  readonly query: (args: Readonly<Record<string, string>>) => { sql: string; params: Record<string, unknown> };
}

const kSpecs: readonly SqlToolSpec[] = [
  {
    name: 'execute_sql_query',
    description: 'Execute a SQL query against the DuckDB database and return the results as a list of records',
    param: { name: 'sql', description: 'The SQL query to execute' },
    annotations: { title: 'SQL Query Executor', readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
    query: (args) => ({ sql: args.sql as string, params: {} }),
  },
  {
    name: 'list_tables',
    description: 'List all tables in the DuckDB database',
    annotations: { title: 'Database Table Lister', readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    query: () => ({
      sql: "SELECT table_name AS name, table_type AS type FROM information_schema.tables WHERE table_schema = 'main' ORDER BY table_name",
      params: {},
    }),
  },
  {
    name: 'get_table_schema',
    description: 'Get the schema for a specific table in the DuckDB database',
    param: { name: 'table_name', description: 'Name of the table' },
    annotations: {
      title: 'Table Schema Inspector',
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: false,
    },
    query: (args) => ({
      sql:
        'SELECT column_name AS name, data_type AS type, is_nullable AS nullable FROM information_schema.columns ' +
        'WHERE table_name = $table_name ORDER BY ordinal_position',
      params: { table_name: args.table_name },
    }),
  },
];

export function sqlToolEntries(site: Readonly<SiteConfig>, database: DuckDBRuntime | undefined): ToolEntry[] {
  return kSpecs.map((spec) => {
    const description = site.sql_tools[spec.name]?.description ?? spec.description;
    const properties = spec.param ? { [spec.param.name]: { type: 'string', description: spec.param.description } } : {};
    const legacyDescriptor = {
      name: spec.name,
      description,
      inputSchema: { type: 'object', properties, required: spec.param ? [spec.param.name] : [], additionalProperties: false },
      annotations: spec.annotations,
    };
    return {
      name: spec.name,
      descriptor: { ...legacyDescriptor, outputSchema: kRowsOutput },
      legacyDescriptor,
      structured: 'wrapped',
      async run(args, context) {
        const checked = checkArguments(spec, args);
        if (!database) throw new Errors.MXCP_E_ENDPOINT_NO_EXECUTOR({ language: 'sql' });
        const { sql, params } = spec.query(checked);
        return (await database.query(sql, params, queryContext(context))).rows;
      },
    } satisfies ToolEntry;
  });
}

/** The same rules as declared parameters: the one parameter is a required string, nothing else is accepted. */
function checkArguments(spec: SqlToolSpec, args: Readonly<Record<string, unknown>>): Record<string, string> {
  for (const key of Object.keys(args)) {
    if (key !== spec.param?.name) throw new Errors.MXCP_E_PARAM_UNKNOWN({ name: key });
  }
  if (!spec.param) return {};
  const value = args[spec.param.name];
  if (value === undefined) throw new Errors.MXCP_E_PARAM_MISSING({ name: spec.param.name });
  if (typeof value !== 'string') throw new Errors.MXCP_E_PARAM_INVALID({ name: spec.param.name, detail: 'Expected string' });
  return { [spec.param.name]: value };
}

function queryContext(context: ExecutionContext): QueryContext {
  return {
    ...(context.user ? { user: context.user } : {}),
    ...(context.headers ? { headers: context.headers } : {}),
    ...(context.signal ? { signal: context.signal } : {}),
  };
}
