/**
 * One Ajv instance for plugin manifests and plugin configuration schemas. Separate from the config loader's
 * instances: third-party schemas are compiled non-strictly (unknown keywords such as `x-*` annotations must
 * not break a plugin), while defaults are applied like everywhere else.
 *
 * `validateSchema: false`: checking each schema against the draft 2020-12 meta-schema first costs ~55 ms
 * (compiling the meta-schema), paid by every CLI command since secret backends are plugins. Ajv's compile
 * still refuses malformed schemas (a type that is no JSON type, a bad pattern), and a config schema must
 * describe an object (checked below).
 */
import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { packagePath } from '../package-root.js';

const ajv = new Ajv2020({ allErrors: true, strict: false, useDefaults: true, validateSchema: false, code: { optimize: false } });

let manifestValidator: ValidateFunction | undefined;

/** The compiled `config/schemas/plugin-manifest.schema.json`. */
export function manifestSchema(): ValidateFunction {
  manifestValidator ??= ajv.compile(
    JSON.parse(readFileSync(packagePath('config', 'schemas', 'plugin-manifest.schema.json'), 'utf8')) as object,
  );
  return manifestValidator;
}

/** Compiled config schemas by their JSON text: every generation loads the same plugins, a reload recompiles nothing. */
const compiledConfigSchemas = new Map<string, ValidateFunction>();

/** Compiles a plugin's `configSchema`; throws Ajv's message when the schema itself is invalid. */
export function compileConfigSchema(schema: object): ValidateFunction {
  // Ajv caches by `$id`; two plugins may reuse one id with different schemas, so strip it.
  const { $id: _id, ...rest } = schema as Record<string, unknown>;
  if (rest.type !== undefined && rest.type !== 'object') throw new Error(`it must describe an object, not ${JSON.stringify(rest.type)}`);
  const key = JSON.stringify(rest);
  let fn = compiledConfigSchemas.get(key);
  if (!fn) {
    fn = ajv.compile(rest);
    compiledConfigSchemas.set(key, fn);
  }
  return fn;
}

/** `path: message` lines, one per Ajv error (all of them: `allErrors`). */
export function describeAjvErrors(errors: readonly ErrorObject[] | null | undefined, root = ''): string {
  return (errors ?? [])
    .filter((e) => e.keyword !== 'if') // "must match then schema" repeats the error it wraps
    .map((e) => {
      const where = `${root}${e.instancePath}`.replace(/^\//, '').replaceAll('/', '.') || '(root)';
      const extra = e.keyword === 'additionalProperties' ? ` '${(e.params as { additionalProperty: string }).additionalProperty}'` : '';
      return `${where}: ${e.message ?? 'invalid'}${extra}`;
    })
    .join('; ');
}
