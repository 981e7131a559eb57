/**
 * One policy condition: CEL parsed, checked and planned once per generation (the Python MXCP compiles on
 * every evaluation), then evaluated per request against plain values.
 *
 * Checking: a condition may only name the variables its phase binds (input: the endpoint's parameters and
 * `user`; output: `user` and `response`), plus the variables its own comprehensions introduce
 * (`exists(p, ...)`). Anything else would fail at run time, and failing closed would deny every call, so
 * `validate` reports it instead.
 */
import type * as CelModule from '@bufbuild/cel';
import type { ErrorLocation } from '../../sdk/errors/index.js';
import { Errors } from '../../sdk/errors/index.js';

type ParsedExpr = ReturnType<typeof CelModule.parse>;
type Expr = ParsedExpr['expr'];
type Evaluate = ReturnType<typeof CelModule.plan>;

/**
 * The CEL library is large (protobuf runtime, RE2): it loads only once some endpoint has policies, so
 * `list`, `validate` and `serve` of projects without policies never pay for it (nor open its hundreds of
 * module files: `validate` must work under `ulimit -n 64`).
 */
let cel: { module: typeof CelModule; env: ReturnType<typeof CelModule.celEnv> } | undefined;

export async function loadCel(): Promise<void> {
  if (cel) return;
  const module = await import('@bufbuild/cel');
  // The environment is stateless and shared: standard functions only, as in MXCP.
  cel ??= { module, env: module.celEnv() };
}

function requireCel(): NonNullable<typeof cel> {
  if (!cel) throw new Error('compileCondition before loadCel(): the registry check loads CEL for endpoints with policies');
  return cel;
}

export interface CelCondition {
  readonly source: string;
  /** True or false; throws MXCP_E_POLICY_EVAL_FAILED when the expression errors or is not a bool. */
  test(bindings: Readonly<Record<string, unknown>>): boolean;
}

export interface ConditionSite {
  /** `input[0]`, `output[2]`: how messages name the rule. */
  readonly where: string;
  readonly location?: ErrorLocation;
}

/** Parses and checks `source`; throws MXCP_E_POLICY_SYNTAX / MXCP_E_POLICY_UNKNOWN_VARIABLE. */
export function compileCondition(source: string, variables: ReadonlySet<string>, site: ConditionSite): CelCondition {
  const { module, env } = requireCel();
  let parsed: ParsedExpr;
  try {
    parsed = module.parse(source);
  } catch (err) {
    const detail = (err as Error).message.replace(/^<input>:/, 'at ');
    throw new Errors.MXCP_E_POLICY_SYNTAX({ where: site.where, condition: source, detail }, { location: site.location, cause: err });
  }
  const unknown = firstUnknownIdent(parsed.expr, variables);
  if (unknown !== undefined) {
    const known = [...variables].sort().join(', ') || 'none';
    throw new Errors.MXCP_E_POLICY_UNKNOWN_VARIABLE(
      { where: site.where, condition: source, name: unknown, known },
      { location: site.location },
    );
  }
  const evaluate: Evaluate = module.plan(env, parsed);
  return {
    source,
    test(bindings) {
      const result = evaluate(toCel(bindings) as Record<string, never>);
      if (module.isCelError(result)) throw new Errors.MXCP_E_POLICY_EVAL_FAILED({ where: site.where, detail: result.message });
      if (typeof result !== 'boolean') {
        throw new Errors.MXCP_E_POLICY_EVAL_FAILED({ where: site.where, detail: `the condition gave ${typeof result}, not a bool` });
      }
      return result;
    },
  };
}

/** Walks the AST without recursion; returns the first identifier that is neither bound nor a local. */
function firstUnknownIdent(root: Expr | undefined, variables: ReadonlySet<string>): string | undefined {
  const stack: { expr: Expr | undefined; locals: readonly string[] }[] = [{ expr: root, locals: [] }];
  while (stack.length > 0) {
    const { expr, locals } = stack.pop() as { expr: Expr | undefined; locals: readonly string[] };
    if (!expr) continue;
    const kind = expr.exprKind;
    switch (kind.case) {
      case 'identExpr':
        if (!variables.has(kind.value.name) && !locals.includes(kind.value.name)) return kind.value.name;
        break;
      case 'selectExpr':
        stack.push({ expr: kind.value.operand, locals });
        break;
      case 'callExpr':
        stack.push({ expr: kind.value.target, locals });
        for (const arg of kind.value.args) stack.push({ expr: arg, locals });
        break;
      case 'listExpr':
        for (const e of kind.value.elements) stack.push({ expr: e, locals });
        break;
      case 'structExpr':
        for (const entry of kind.value.entries) {
          if (entry.keyKind.case === 'mapKey') stack.push({ expr: entry.keyKind.value, locals });
          stack.push({ expr: entry.value, locals });
        }
        break;
      case 'comprehensionExpr': {
        const c = kind.value;
        stack.push({ expr: c.iterRange, locals }, { expr: c.accuInit, locals });
        const inner = [...locals, c.iterVar, c.iterVar2, c.accuVar].filter((v) => v !== '');
        stack.push({ expr: c.loopCondition, locals: inner }, { expr: c.loopStep, locals: inner }, { expr: c.result, locals: inner });
        break;
      }
      default:
        break;
    }
  }
  return undefined;
}

/**
 * Plain values CEL can hold: tagged temporals become their ISO text (what the caller sent), `undefined`
 * properties are dropped, anything exotic becomes its string form. Depth is bounded by what the type
 * system already accepted.
 */
export function toCel(value: unknown): unknown {
  if (value === null || typeof value === 'boolean' || typeof value === 'number' || typeof value === 'bigint' || typeof value === 'string') {
    return value;
  }
  if (value === undefined) return null;
  if (Array.isArray(value)) return value.map(toCel);
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return value;
  if (typeof value === 'object') {
    const json = (value as { toJSON?: () => unknown }).toJSON;
    if (typeof json === 'function') return toCel(json.call(value));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toCel(v);
    return out;
  }
  return String(value);
}
