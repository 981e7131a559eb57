/**
 * An endpoint's `policies`, compiled once per generation, and their enforcement (reference/mxcp-ops.md
 * section 3):
 *
 *   input rules, in order, over { ...parameters, user }: the first true `deny` stops the call
 *   output rules, in order, over { user, response }, each seeing the output the previous one left:
 *     deny · filter_fields · mask_fields · filter_sensitive_fields
 *
 * Decisions: `allow` when no rule acted, `deny` (with the rule's reason) when one denied, `warn` when the
 * output was modified. One deliberate difference from the Python MXCP: a condition that fails at run time
 * DENIES (fail closed) instead of counting as false, and the audit record says which rule and why.
 */
import type { PolicyDecision } from '../../sdk/audit.js';
import { Errors, isMxcpError, type MxcpError } from '../../sdk/errors/index.js';
import type { UserContext } from '../../sdk/user-context.js';
import { locate, type YamlFile } from '../config/yaml-file.js';
import type { EndpointKind, Policies, PolicyRule, TypeDefinition } from '../registry/types.js';
import { type CelCondition, compileCondition } from './cel-condition.js';
import { filterFields, filterSensitive, maskFields } from './output-actions.js';

/** What enforcement learnt, for the audit record. */
export interface PolicyNotes {
  policyDecision?: PolicyDecision;
  reason?: string;
}

interface CompiledRule {
  readonly rule: PolicyRule;
  readonly where: string;
  readonly condition: CelCondition;
}

export interface EndpointPolicies {
  readonly input: readonly CompiledRule[];
  readonly output: readonly CompiledRule[];
  /** Throws MXCP_E_POLICY_DENIED / MXCP_E_POLICY_EVAL_FAILED; records the decision in `notes`. */
  enforceInput(params: Readonly<Record<string, unknown>>, user: UserContext | undefined, notes: PolicyNotes): void;
  /** Returns the (possibly modified) output; throws MXCP_E_POLICY_OUTPUT_DENIED / _EVAL_FAILED. */
  enforceOutput(response: unknown, user: UserContext | undefined, notes: PolicyNotes): unknown;
}

/**
 * Compiles every condition of `policies`; throws the first problem as a coded error located at the rule.
 * `parameterNames` are the input variables besides `user`.
 */
export function compilePolicies(
  policies: Policies | undefined,
  ctx: { kind: EndpointKind; parameterNames: readonly string[]; returns?: TypeDefinition; file?: YamlFile },
): EndpointPolicies | undefined {
  if (!policies || ((policies.input?.length ?? 0) === 0 && (policies.output?.length ?? 0) === 0)) return undefined;
  const compile = (phase: 'input' | 'output', variables: ReadonlySet<string>) =>
    (policies[phase] ?? []).map((rule, i): CompiledRule => {
      const where = `${phase}[${i}]`;
      const path = [ctx.kind, 'policies', phase, i];
      const location = ctx.file ? locate(ctx.file, [...path, 'condition']) : undefined;
      if ((rule.action === 'filter_fields' || rule.action === 'mask_fields') && !(rule.fields && rule.fields.length > 0)) {
        throw new Errors.MXCP_E_POLICY_FIELDS_REQUIRED(
          { where, action: rule.action },
          { location: ctx.file ? locate(ctx.file, path) : undefined },
        );
      }
      return { rule, where, condition: compileCondition(rule.condition, variables, { where, ...(location ? { location } : {}) }) };
    });
  const input = compile('input', new Set([...ctx.parameterNames, 'user']));
  const output = compile('output', new Set(['user', 'response']));
  const returns = ctx.returns;

  return {
    input,
    output,
    enforceInput(params, user, notes) {
      // `user` wins over a parameter of that name, as in MXCP.
      const bindings = { ...params, user: policyUser(user) };
      for (const r of input) {
        // Input rules with other actions are accepted and ignored (MXCP).
        if (r.rule.action !== 'deny') continue;
        if (fires(r, bindings, notes)) {
          const reason = r.rule.reason ?? 'Access denied by policy';
          Object.assign(notes, { policyDecision: 'deny', reason });
          throw new Errors.MXCP_E_POLICY_DENIED({ reason });
        }
      }
      if (input.length > 0) notes.policyDecision = 'allow';
    },
    enforceOutput(response, user, notes) {
      if (output.length === 0) return response;
      const u = policyUser(user);
      let current = response;
      let modifiedBy: string | undefined;
      for (const r of output) {
        if (!fires(r, { user: u, response: current }, notes)) continue;
        switch (r.rule.action) {
          case 'deny': {
            const reason = r.rule.reason ?? 'Output blocked by policy';
            Object.assign(notes, { policyDecision: 'deny', reason });
            throw new Errors.MXCP_E_POLICY_OUTPUT_DENIED({ reason });
          }
          case 'filter_fields':
            current = filterFields(current, r.rule.fields ?? []);
            break;
          case 'mask_fields':
            current = maskFields(current, r.rule.fields ?? []);
            break;
          case 'filter_sensitive_fields':
            current = returns ? filterSensitive(current, returns) : current;
            break;
        }
        modifiedBy = r.rule.action;
      }
      if (modifiedBy) Object.assign(notes, { policyDecision: 'warn', reason: `Output modified by ${modifiedBy}` });
      else if (notes.policyDecision === undefined) notes.policyDecision = 'allow';
      return current;
    },
  };
}

/** Evaluates one rule; an evaluation error denies, with the rule named in the notes (fail closed). */
function fires(r: CompiledRule, bindings: Readonly<Record<string, unknown>>, notes: PolicyNotes): boolean {
  try {
    return r.condition.test(bindings);
  } catch (err) {
    const coded: MxcpError = isMxcpError(err) ? err : new Errors.MXCP_E_POLICY_EVAL_FAILED({ where: r.where, detail: String(err) });
    Object.assign(notes, { policyDecision: 'deny', reason: coded.message });
    throw coded;
  }
}

/** The `user` variable: MXCP's shape, `role` and `permissions` from the raw profile; anonymous without one. */
export function policyUser(user: UserContext | undefined): Record<string, unknown> {
  if (!user) return { role: 'anonymous', permissions: [], capabilities: [], user_id: null, username: null, email: null, provider: null };
  const profile = user.rawProfile ?? {};
  return {
    user_id: user.userId,
    username: user.username,
    email: user.email ?? null,
    provider: user.provider,
    name: user.name ?? null,
    role: typeof profile.role === 'string' ? profile.role : 'user',
    permissions: Array.isArray(profile.permissions) ? profile.permissions : [],
    capabilities: [...user.capabilities],
  };
}
