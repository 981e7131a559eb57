/**
 * MCP `inputSchema` / `outputSchema` for tools (MXCP section 16.2), as plain JSON Schema 2020-12 (the
 * MCP default dialect) rather than pydantic's `anyOf`/`$ref`/`title` output: clients only consume them.
 *
 * Input schemas describe what a client should send: every declared keyword is kept (the converter
 * enforces them all), `sensitive` and `name` are dropped, and the top level is closed because unknown
 * arguments are rejected. `format: timestamp` is not a JSON Schema format and accepts Unix seconds as a
 * number or text, so it is emitted as `type: ['number', 'string']` without a format.
 *
 * Output schemas describe what the server guarantees, so that a client validating `structuredContent`
 * (the MCP SDK client does, with Ajv and ajv-formats) never rejects a result our validation accepted:
 * only the keywords output validation checks are kept (no format, pattern, enum, exclusive bounds,
 * multipleOf, uniqueItems), and every nested value may be `null` (SQL NULL, a missing column).
 * A declared `object` is the structured content itself; any other type is wrapped as `{result: value}`.
 */
import type { ParameterDefinition, TypeDefinition, TypeName } from '../registry/types.js';
import { setOwn } from './conversion-result.js';

export type JsonSchema = { [keyword: string]: unknown };

/**
 * Keywords carried per declared type. A keyword of another type (`minLength` on an integer, which the
 * endpoint schema tolerates) is left out: it constrains nothing, and strict validators reject it.
 */
const kInputKeywords: Record<TypeName, readonly (keyof TypeDefinition)[]> = {
  string: ['description', 'format', 'enum', 'examples', 'minLength', 'maxLength', 'pattern'],
  number: ['description', 'enum', 'examples', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'],
  integer: ['description', 'enum', 'examples', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'],
  boolean: ['description', 'enum', 'examples'],
  array: ['description', 'enum', 'examples', 'minItems', 'maxItems', 'uniqueItems'],
  object: ['description', 'enum', 'examples'],
};

const kOutputKeywords: Record<TypeName, readonly (keyof TypeDefinition)[]> = {
  string: ['description', 'minLength', 'maxLength'],
  number: ['description', 'minimum', 'maximum'],
  integer: ['description', 'minimum', 'maximum'],
  boolean: ['description'],
  array: ['description', 'minItems', 'maxItems'],
  object: ['description'],
};

/** `{type: 'object', properties: {<param>: schema}, required: [params without default], additionalProperties: false}`. */
export function inputJsonSchema(params: readonly ParameterDefinition[] | undefined): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const param of params ?? []) {
    setOwn(properties, param.name, inputTypeSchema(param));
    if (!Object.hasOwn(param, 'default') || param.default === undefined) required.push(param.name);
  }
  return { type: 'object', properties, required, additionalProperties: false };
}

/** The JSON Schema of one input type definition (also used for nested items and properties). */
export function inputTypeSchema(def: TypeDefinition): JsonSchema {
  const schema: JsonSchema = { type: def.format === 'timestamp' ? ['number', 'string'] : def.type };
  copyKeywords(def, schema, kInputKeywords[def.type] ?? [], true);
  if (def.format === 'timestamp') delete schema.format;
  if (Object.hasOwn(def, 'default') && def.default !== undefined) schema.default = structuredClone(def.default);
  if (def.type === 'array' && def.items) schema.items = inputTypeSchema(def.items);
  if (def.type === 'object') addObjectKeywords(def, schema, inputTypeSchema);
  return schema;
}

/** True when structured content must be wrapped as `{result: value}`: every declared type but `object`. */
export function structuredOutputWrapped(ret: TypeDefinition): boolean {
  return ret.type !== 'object';
}

/** The `structuredContent` of a validated result. */
export function structuredContent(value: unknown, ret: TypeDefinition): unknown {
  return structuredOutputWrapped(ret) ? { result: value } : value;
}

/** `outputSchema` of a tool with a declared `return` (tools without one have none). */
export function outputJsonSchema(ret: TypeDefinition): JsonSchema {
  if (!structuredOutputWrapped(ret)) return outputTypeSchema(ret, false);
  return { type: 'object', properties: { result: outputTypeSchema(ret, true) }, required: ['result'] };
}

function outputTypeSchema(def: TypeDefinition, nullable: boolean): JsonSchema {
  const schema: JsonSchema = { type: nullable ? [def.type, 'null'] : def.type };
  copyKeywords(def, schema, kOutputKeywords[def.type] ?? [], false);
  if (def.type === 'array' && def.items) schema.items = outputTypeSchema(def.items, true);
  if (def.type === 'object') addObjectKeywords(def, schema, (child) => outputTypeSchema(child, true));
  return schema;
}

function copyKeywords(def: TypeDefinition, schema: JsonSchema, keywords: readonly (keyof TypeDefinition)[], clone: boolean): void {
  for (const keyword of keywords) {
    const value = def[keyword];
    if (value !== undefined) schema[keyword] = clone ? structuredClone(value) : value;
  }
}

function addObjectKeywords(def: TypeDefinition, schema: JsonSchema, child: (def: TypeDefinition) => JsonSchema): void {
  if (def.properties) schema.properties = mapValues(def.properties, child);
  if (def.required) schema.required = [...def.required];
  if (def.additionalProperties === false) schema.additionalProperties = false;
}

function mapValues<T, U>(record: Record<string, T>, fn: (value: T) => U): Record<string, U> {
  const out: Record<string, U> = {};
  for (const [key, value] of Object.entries(record)) setOwn(out, key, fn(value));
  return out;
}
