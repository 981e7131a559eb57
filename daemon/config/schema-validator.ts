/**
 * JSON Schema validation with Ajv. The schemas in `config/schemas/` are the source of truth for types and
 * defaults; each is compiled once per process and reused by every generation.
 *
 * Validators return results; only the boundary (config load, endpoint load) turns a failure into a coded
 * error, with positions looked up in the YAML document.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import * as addFormatsModule from 'ajv-formats';
import { packagePath } from '../package-root.js';
import type { KeyPath } from './yaml-file.js';

// ajv-formats is CommonJS with `exports.default`; under NodeNext the plugin function sits on `.default`.
const addFormats = addFormatsModule.default.default;

export type SchemaName = 'site' | 'user' | 'endpoint' | 'eval-suite';

export interface SchemaIssue {
  /** Path to the offending value (for unknown keys: the key itself). */
  readonly path: KeyPath;
  readonly message: string;
  /** True when the path names a key rather than a value (unknown keys). */
  readonly atKey: boolean;
  /** For type mismatches: the JSON type(s) the schema wants there, e.g. `boolean` or `integer,string`. */
  readonly expected?: string;
}

export type SchemaResult = { valid: true } | { valid: false; issues: SchemaIssue[] };

function makeAjv(coerceTypes: boolean): Ajv2020 {
  // `optimize: false` halves compile time (which every CLI command pays: ~170 ms → ~80 ms for the three
  // schemas); these validators run once per file per generation, never per request, so the slower code
  // they produce costs nothing measurable.
  const instance = new Ajv2020({
    allErrors: true,
    strict: true,
    useDefaults: true,
    allowUnionTypes: true,
    coerceTypes,
    code: { optimize: false },
    verbose: true,
  });
  addFormats(instance);
  return instance;
}

// The user config is validated after references are resolved, and resolved values are always strings
// (`port: "${PORT}"`), so it coerces scalars like MXCP's pydantic models do. Site and endpoint files are
// validated strictly: a quoted number there is a mistake worth reporting.
const strictAjv = makeAjv(false);
const coercingAjv = makeAjv(true);
const compiled = new Map<string, ValidateFunction>();

function ajvFor(name: SchemaName): Ajv2020 {
  return name === 'user' ? coercingAjv : strictAjv;
}

function validatorFor(name: SchemaName): ValidateFunction {
  let fn = compiled.get(name);
  if (!fn) {
    const schema = JSON.parse(readFileSync(packagePath('config', 'schemas', `${name}.schema.json`), 'utf8')) as object;
    fn = ajvFor(name).compile(schema);
    compiled.set(name, fn);
  }
  return fn;
}

/**
 * Validates `data` in place (defaults are filled in) against a named schema, or against one of its
 * `$defs` when `def` is given.
 */
export function validateSchema(name: SchemaName, data: unknown, def?: string): SchemaResult {
  const fn = def ? defValidator(name, def) : validatorFor(name);
  if (fn(data)) return { valid: true };
  return { valid: false, issues: toIssues(fn.errors ?? [], data) };
}

function defValidator(name: SchemaName, def: string): ValidateFunction {
  const key = `${name}#${def}`;
  let fn = compiled.get(key);
  if (!fn) {
    const root = validatorFor(name).schema as { $id?: string };
    const ref = `${root.$id ?? ''}#/$defs/${def}`;
    const got = ajvFor(name).getSchema(ref);
    if (!got) throw new Error(`schema ${name} has no $defs/${def}`);
    fn = got;
    compiled.set(key, fn);
  }
  return fn;
}

const kKeywordRank: Record<string, number> = {
  additionalProperties: 0,
  required: 1,
  type: 2,
  enum: 3,
  const: 3,
};

/**
 * Reduces Ajv's error list to readable issues, most useful first: combinator errors (anyOf/oneOf) are
 * dropped when a more specific error exists, deeper paths before shallower ones.
 */
function toIssues(errors: readonly ErrorObject[], data: unknown): SchemaIssue[] {
  const specific = errors.filter((e) => !['anyOf', 'oneOf', 'if', 'not'].includes(e.keyword));
  const chosen = specific.length > 0 ? specific : [...errors];
  const issues = chosen.map((e) => toIssue(e, data));
  const order = new Map(issues.map((iss, i) => [iss, i]));
  const rank = new Map(chosen.map((e, i) => [issues[i], kKeywordRank[e.keyword] ?? 5]));
  issues.sort((a, b) => {
    // Shallow-first keeps "unknown key at the root" ahead of its consequences deeper down.
    if (a.path.length !== b.path.length) return a.path.length - b.path.length;
    return (rank.get(a) ?? 5) - (rank.get(b) ?? 5) || (order.get(a) ?? 0) - (order.get(b) ?? 0);
  });
  // Duplicates arise when several anyOf branches report the same thing.
  const seen = new Set<string>();
  return issues.filter((i) => {
    const k = `${i.path.join('.')}|${i.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function toIssue(e: ErrorObject, data: unknown): SchemaIssue {
  const path = pointerToPath(e.instancePath, data);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': {
      const extra = String(p.additionalProperty);
      return { path: [...path, extra], message: `unknown key '${extra}'${allowedKeys(e)}`, atKey: true };
    }
    case 'required':
      return { path: [...path, String(p.missingProperty)], message: 'required key is missing', atKey: false };
    case 'type':
      return {
        path,
        message: `must be ${String(p.type).replace(',', ' or ')}, got ${describe(valueAt(data, path))}`,
        atKey: false,
        expected: String(p.type),
      };
    case 'enum':
      return {
        path,
        message: `must be one of: ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}; got ${JSON.stringify(valueAt(data, path)) ?? 'nothing'}`,
        atKey: false,
      };
    case 'const':
      return { path, message: `must be ${JSON.stringify(p.allowedValue)}, got ${JSON.stringify(valueAt(data, path))}`, atKey: false };
    case 'propertyNames':
      return { path: [...path, String(p.propertyName)], message: `invalid key name '${String(p.propertyName)}'`, atKey: true };
    default:
      return { path, message: e.message ?? e.keyword, atKey: false };
  }
}

function allowedKeys(e: ErrorObject): string {
  const props = (e.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties;
  if (!props) return '';
  const keys = Object.keys(props);
  return keys.length > 0 && keys.length <= 16 ? ` (allowed: ${keys.join(', ')})` : '';
}

/** `/profiles/dev/0` → `['profiles', 'dev', 0]`, with numeric segments as numbers where the data is an array. */
function pointerToPath(pointer: string, data: unknown): (string | number)[] {
  if (!pointer) return [];
  const out: (string | number)[] = [];
  let cur: unknown = data;
  for (const raw of pointer.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur)) {
      const idx = Number(seg);
      out.push(idx);
      cur = cur[idx];
    } else {
      out.push(seg);
      cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[seg] : undefined;
    }
  }
  return out;
}

function valueAt(data: unknown, path: KeyPath): unknown {
  let cur = data;
  for (const seg of path) cur = cur && typeof cur === 'object' ? (cur as Record<string | number, unknown>)[seg] : undefined;
  return cur;
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value} ${String(value)}`;
}
