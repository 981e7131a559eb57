/**
 * Lint rules: what makes an endpoint hard for an LLM to use well, or for an operator to trust. The first
 * group follows the Python MXCP's `mxcp lint` (same messages and severities: a parameter without a
 * description is an `error`, checklist item 57); the second adds rules about how models pick and call tools.
 *
 * Each rule has a stable id (never renumbered, retired ids stay retired), a severity, and a fix suggestion.
 * Rules read only the parsed definition, except `unbounded-query`, which asks the database how big the
 * tables a query reads are (skipped when the database cannot be opened).
 */
import type { KeyPath } from '../config/yaml-file.js';
import type { ValidEndpoint } from '../registry/registry.js';
import type { EndpointDefinition, ParameterDefinition, TypeDefinition } from '../registry/types.js';

export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  readonly rule: string;
  readonly id: string;
  readonly severity: Severity;
  /** Where in the YAML, as a key path (`tool.parameters[0].description`). */
  readonly at: KeyPath;
  readonly message: string;
  readonly suggestion: string;
}

export interface RuleContext {
  readonly entry: ValidEndpoint;
  /** Row counts of the database's tables (lower-cased names), when the database could be read. */
  readonly tableRows?: ReadonlyMap<string, number>;
}

interface Rule {
  readonly id: string;
  readonly rule: string;
  readonly severity: Severity;
  check(e: EndpointDefinition, ctx: RuleContext): Omit<Finding, 'id' | 'rule' | 'severity'>[];
}

const kVagueNames = new Set([
  'query',
  'run',
  'tool',
  'get',
  'data',
  'test',
  'do',
  'execute',
  'process',
  'fetch',
  'handle',
  'action',
  'func',
  'helper',
  'util',
  'misc',
  'stuff',
  'thing',
]);
const kMaxParameters = 8;
/** Tables at least this large make a LIMIT-less query worth a warning. */
export const kLargeTableRows = 10_000;

const params = (e: EndpointDefinition): ParameterDefinition[] => e.def.parameters ?? [];
const label = (e: EndpointDefinition) => (e.kind === 'resource' ? 'Resource' : e.kind === 'tool' ? 'Tool' : 'Prompt');

function typeHasObjectWithoutProperties(t: TypeDefinition | undefined, at: KeyPath, out: KeyPath[]): void {
  if (!t) return;
  if (t.type === 'object' && !t.properties) out.push(at);
  if (t.items) typeHasObjectWithoutProperties(t.items, [...at, 'items'], out);
  for (const [k, p] of Object.entries(t.properties ?? {})) typeHasObjectWithoutProperties(p, [...at, 'properties', k], out);
}

/** The SQL an endpoint runs, when it is SQL given inline or read from its file by the registry. */
function sqlOf(ctx: RuleContext): string | undefined {
  const s = ctx.entry.source;
  return s && s.language === 'sql' ? s.code : undefined;
}

export const kRules: readonly Rule[] = [
  {
    id: 'MXL001',
    rule: 'description-missing',
    severity: 'warning',
    check: (e) =>
      e.def.description?.trim()
        ? []
        : [
            {
              at: [e.kind],
              message: `${label(e)} is missing a description`,
              suggestion: `Add a description explaining what this ${e.kind} does and when to use it`,
            },
          ],
  },
  {
    id: 'MXL002',
    rule: 'description-short',
    severity: 'info',
    check: (e) => {
      const d = e.def.description?.trim() ?? '';
      return d && d.length < 20
        ? [
            {
              at: [e.kind, 'description'],
              message: `${label(e)} description is very short (${d.length} characters)`,
              suggestion: 'Say what it returns, what its inputs mean and when a model should choose it',
            },
          ]
        : [];
    },
  },
  {
    id: 'MXL003',
    rule: 'tests-missing',
    severity: 'warning',
    check: (e) =>
      e.kind !== 'prompt' && (e.def.tests ?? []).length === 0
        ? [
            {
              at: [e.kind],
              message: `${label(e)} has no tests`,
              suggestion: 'Add tests: with arguments and an expected result, run by mxcp test',
            },
          ]
        : [],
  },
  {
    id: 'MXL004',
    rule: 'test-without-assertion',
    severity: 'info',
    check: (e) =>
      (e.def.tests ?? []).flatMap((t, i) =>
        [
          'result',
          'result_contains',
          'result_not_contains',
          'result_contains_item',
          'result_contains_all',
          'result_length',
          'result_contains_text',
        ].some((k) => k in t)
          ? []
          : [
              {
                at: [e.kind, 'tests', i],
                message: `Test '${t.name}' has no assertion: it only checks that the call does not fail`,
                suggestion: 'Add result, result_contains or another result_* assertion',
              },
            ],
      ),
  },
  {
    id: 'MXL005',
    rule: 'parameter-description-missing',
    severity: 'error',
    check: (e) =>
      params(e).flatMap((p, i) =>
        p.description?.trim()
          ? []
          : [
              {
                at: [e.kind, 'parameters', i],
                message: `Parameter '${p.name}' is missing a description`,
                suggestion: `Add a description for parameter '${p.name}'`,
              },
            ],
      ),
  },
  {
    id: 'MXL006',
    rule: 'parameter-examples-missing',
    severity: 'info',
    check: (e) =>
      params(e).flatMap((p, i) =>
        p.examples?.length || p.enum?.length || p.type === 'boolean'
          ? []
          : [
              {
                at: [e.kind, 'parameters', i],
                message: `Parameter '${p.name}' has no examples`,
                suggestion: `Add examples for '${p.name}': models copy their format`,
              },
            ],
      ),
  },
  {
    id: 'MXL007',
    rule: 'return-description-missing',
    severity: 'info',
    check: (e) =>
      e.kind !== 'prompt' && e.def.return && !e.def.return.description?.trim()
        ? [
            {
              at: [e.kind, 'return'],
              message: 'Return type has no description',
              suggestion: 'Describe what the result holds, so a model can read it',
            },
          ]
        : [],
  },
  {
    id: 'MXL008',
    rule: 'annotations-missing',
    severity: 'info',
    check: (e) =>
      e.kind === 'tool' && !e.def.annotations
        ? [
            {
              at: ['tool'],
              message: 'Tool has no annotations',
              suggestion:
                'Add annotations (readOnlyHint, destructiveHint, idempotentHint, openWorldHint) so clients can tell safe tools from risky ones',
            },
          ]
        : [],
  },
  {
    id: 'MXL009',
    rule: 'tags-missing',
    severity: 'info',
    check: (e) =>
      e.def.tags?.length ? [] : [{ at: [e.kind], message: `${label(e)} has no tags`, suggestion: 'Add tags to group related endpoints' }],
  },
  {
    id: 'MXL101',
    rule: 'vague-name',
    severity: 'warning',
    check: (e) => {
      if (e.kind === 'resource') return [];
      const name = e.def.name;
      const words = name.toLowerCase().split(/[_\-.]+/);
      return kVagueNames.has(name.toLowerCase()) || name.length < 4 || (words.length === 1 && kVagueNames.has(words[0] ?? ''))
        ? [
            {
              at: [e.kind, 'name'],
              message: `Name '${name}' says little about what the ${e.kind} does`,
              suggestion: 'Use a verb and an object, e.g. get_customer_orders, search_products',
            },
          ]
        : [];
    },
  },
  {
    id: 'MXL102',
    rule: 'enum-values-undescribed',
    severity: 'info',
    check: (e) =>
      params(e).flatMap((p, i) => {
        const values = (p.enum ?? []).map(String);
        const d = p.description ?? '';
        const missing = values.filter((v) => !d.includes(v));
        return values.length > 0 && missing.length > 0
          ? [
              {
                at: [e.kind, 'parameters', i],
                message: `Parameter '${p.name}' has enum values its description does not explain: ${missing.join(', ')}`,
                suggestion: 'Say in the description what each value means',
              },
            ]
          : [];
      }),
  },
  {
    id: 'MXL103',
    rule: 'too-many-parameters',
    severity: 'warning',
    check: (e) =>
      params(e).length > kMaxParameters
        ? [
            {
              at: [e.kind, 'parameters'],
              message: `${label(e)} has ${params(e).length} parameters (more than ${kMaxParameters})`,
              suggestion: 'Split it into focused tools, or group options into an object parameter',
            },
          ]
        : [],
  },
  {
    id: 'MXL104',
    rule: 'unbounded-query',
    severity: 'warning',
    check: (e, ctx) => {
      const sql = sqlOf(ctx);
      if (!sql || !ctx.tableRows || /\blimit\b/i.test(sql) || /\b(count|sum|avg|min|max)\s*\(/i.test(sql) || /\bgroup\s+by\b/i.test(sql))
        return [];
      const large = [...sql.matchAll(/\b(?:from|join)\s+("?)([A-Za-z_][\w.]*)\1/gi)]
        .map((m) => (m[2] ?? '').toLowerCase().split('.').pop() ?? '')
        .filter((t) => (ctx.tableRows?.get(t) ?? 0) >= kLargeTableRows);
      return large.length > 0
        ? [
            {
              at: [e.kind, 'source'],
              message: `Query reads ${[...new Set(large)].map((t) => `'${t}' (${ctx.tableRows?.get(t)} rows)`).join(', ')} without a LIMIT`,
              suggestion: 'Add LIMIT (or a limit parameter with a maximum): a model cannot use a result of thousands of rows',
            },
          ]
        : [];
    },
  },
  {
    id: 'MXL105',
    rule: 'writes-without-destructive-hint',
    severity: 'warning',
    check: (e, ctx) => {
      const sql = sqlOf(ctx);
      if (e.kind !== 'tool' || !sql || !/\b(insert|update|delete|drop|alter|truncate|create)\b/i.test(sql)) return [];
      const a = e.def.annotations;
      return a?.readOnlyHint === true || a?.destructiveHint === undefined
        ? [
            {
              at: ['tool', 'annotations'],
              message: 'Tool changes data but its annotations do not say so',
              suggestion: 'Set readOnlyHint: false and destructiveHint: true (or false when it only adds data)',
            },
          ]
        : [];
    },
  },
  {
    id: 'MXL106',
    rule: 'object-without-properties',
    severity: 'info',
    check: (e) => {
      const at: KeyPath[] = [];
      for (const [i, p] of params(e).entries()) typeHasObjectWithoutProperties(p, [e.kind, 'parameters', i], at);
      if (e.kind !== 'prompt') typeHasObjectWithoutProperties(e.def.return, [e.kind, 'return'], at);
      return at.map((path) => ({
        at: path,
        message: 'Object type without properties: the model cannot know its shape',
        suggestion: 'Declare its properties (and required ones)',
      }));
    },
  },
];
