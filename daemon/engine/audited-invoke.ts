/**
 * The request pipeline with audit around it: every call that reaches an endpoint produces exactly one
 * record, on success and on error.
 *
 *   t0 = now ─> invokeEndpoint (validate ─> [input policy] ─> execute ─> shape ─> [output policy])
 *            ─> record { timestamp: t0, duration, status, error, policy, user, session, input, output }
 *            ─> redact (sensitive fields, secret values) ─> audit.submit(record) ─> result / error
 *
 * The call completes only after `submit` resolved, i.e. after every sink accepted the record (with
 * `on_full: wait` that may take a moment under a full queue). So once a caller sees a response, its record
 * is queued, and the shutdown sequence (drain requests, then flush sinks) loses none.
 *
 * The policy decision comes from the notes the pipeline fills while it runs (`deny` + reason before it
 * throws, `warn` + reason when output rules changed the result, `allow`); `n/a` for endpoints without
 * policies and for the built-in SQL tools.
 */
import type { AuditCaller, AuditRecord, AuditType, PolicyDecision } from '../../sdk/audit.js';
import type { ExecutionContext } from '../../sdk/execution-context.js';
import type { AuditSinks } from '../audit/audit-sinks.js';
import { openAuditSinks } from '../audit/audit-sinks.js';
import { type AuditOutcome, type AuditSubject, buildAuditRecord, callerOf, fallbackRecord } from '../audit/record.js';
import { endpointPlans, type Plan } from '../audit/redaction.js';
import { projectSecrets } from '../audit/secret-values.js';
import type { CompiledEndpoint } from '../generation/compiled-endpoint.js';
import type { Generation } from '../generation/generation.js';
import type { Logger } from '../logging/logger.js';
import { type InvokeOptions, invokeEndpoint } from './invoke.js';

/** What an audited call needs of the audit trail. */
export type AuditTrail = Pick<AuditSinks, 'enabled' | 'settings' | 'submit'>;

/** Facts learnt while the call runs, read when its record is built. */
export interface AuditNotes {
  policyDecision?: PolicyDecision;
  reason?: string;
  traceId?: string;
}

export interface AuditedInvokeOptions extends InvokeOptions {
  /** Defaults to the caller derived from `context.transport`; the admin socket passes `admin`. */
  readonly caller?: AuditCaller;
  readonly notes?: AuditNotes;
}

/** A call without a CompiledEndpoint (the built-in SQL tools): described by hand. */
export interface AuditedCall {
  readonly generation: Generation;
  readonly type: Exclude<AuditType, 'auth'>;
  readonly name: string;
  readonly input: Readonly<Record<string, unknown>>;
  readonly context: ExecutionContext;
  readonly caller?: AuditCaller;
  readonly notes?: AuditNotes;
  readonly inputPlan?: Plan;
  readonly outputPlan?: Plan;
}

export function auditedInvoke(
  audit: AuditTrail,
  generation: Generation,
  endpoint: CompiledEndpoint,
  raw: Readonly<Record<string, unknown>>,
  context: ExecutionContext,
  options: AuditedInvokeOptions = {},
): Promise<unknown> {
  if (!audit.enabled) return invokeEndpoint(endpoint, raw, context, options);
  const notes: AuditNotes = options.notes ?? {};
  const plans = endpointPlans(endpoint);
  const call: AuditedCall = {
    generation,
    type: endpoint.kind,
    name: endpoint.name,
    input: auditInput(endpoint, raw),
    context,
    inputPlan: plans.input,
    outputPlan: plans.output,
    ...(options.caller ? { caller: options.caller } : {}),
    notes,
  };
  return audited(audit, call, () => invokeEndpoint(endpoint, raw, context, { ...options, notes }));
}

/** Runs `run` and audits it (SQL tools and anything else that is not a YAML endpoint). */
export async function audited<T>(audit: AuditTrail, call: AuditedCall, run: () => Promise<T>): Promise<T> {
  if (!audit.enabled) return run();
  const startedAt = Date.now();
  const t0 = performance.now();
  let result: T | undefined;
  let error: unknown;
  let failed = false;
  try {
    result = await run();
  } catch (err) {
    failed = true;
    error = err;
  }
  const notes = call.notes ?? {};
  const outcome: AuditOutcome = {
    startedAt,
    durationMs: performance.now() - t0,
    failed,
    error,
    output: result,
    ...(notes.policyDecision ? { policyDecision: notes.policyDecision } : {}),
    ...(notes.reason !== undefined ? { reason: notes.reason } : {}),
    ...((notes.traceId ?? call.context.traceId) ? { traceId: notes.traceId ?? call.context.traceId } : {}),
  };
  const subject: AuditSubject = {
    type: call.type,
    name: call.name,
    caller: call.caller ?? callerOf(call.context.transport),
    context: call.context,
    generation: call.generation.id,
    input: call.input,
    ...(call.inputPlan ? { inputPlan: call.inputPlan } : {}),
    ...(call.outputPlan ? { outputPlan: call.outputPlan } : {}),
  };
  await audit.submit(recordFor(audit, call.generation, subject, outcome));
  if (failed) throw error;
  return result as T;
}

/** A request refused by authentication (HTTP 401/403 before any endpoint): `type: auth`, status error. */
export function auditAuthRefusal(
  audit: AuditTrail,
  refusal: {
    readonly name: string;
    readonly caller: AuditCaller;
    readonly startedAt: number;
    readonly error: unknown;
    readonly context?: ExecutionContext;
  },
): Promise<void> {
  if (!audit.enabled) return Promise.resolve();
  const subject: AuditSubject = {
    type: 'auth',
    name: refusal.name,
    caller: refusal.caller,
    ...(refusal.context ? { context: refusal.context } : {}),
  };
  const outcome: AuditOutcome = {
    startedAt: refusal.startedAt,
    durationMs: Date.now() - refusal.startedAt,
    failed: true,
    error: refusal.error,
  };
  return audit.submit(buildAuditRecord(subject, outcome, { includeOutput: false, secrets: [] }));
}

/**
 * `mxcp run`: a one-shot audit trail around one call, closed (flushed) before the command exits. A
 * profile with audit disabled opens nothing.
 */
export async function runAudited(
  generation: Generation,
  endpoint: CompiledEndpoint,
  raw: Readonly<Record<string, unknown>>,
  context: ExecutionContext,
  options: AuditedInvokeOptions & { readonly logger: Logger },
): Promise<unknown> {
  if (!generation.project.profile.audit.enabled) return invokeEndpoint(endpoint, raw, context, options);
  const audit = await openAuditSinks(generation.project, options.logger);
  try {
    return await auditedInvoke(audit, generation, endpoint, raw, context, options);
  } finally {
    await audit.close('command');
  }
}

/**
 * What the record shows as input: the converted parameters (defaults filled, JSON text parsed, as the
 * endpoint ran with them) so that sensitive parts of structured values are found; the raw arguments when
 * they do not convert (the call is about to fail on them). Conversion is pure and cheap; the pipeline
 * converts again, which keeps invoke.ts unaware of audit.
 */
function auditInput(endpoint: CompiledEndpoint, raw: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> {
  try {
    return endpoint.convert(raw);
  } catch {
    return raw;
  }
}

function recordFor(audit: AuditTrail, generation: Generation, subject: AuditSubject, outcome: AuditOutcome): AuditRecord {
  try {
    return buildAuditRecord(subject, outcome, {
      includeOutput: audit.settings?.includeOutput ?? true,
      secrets: projectSecrets(generation.project),
    });
  } catch {
    // Redaction met something it cannot walk: the request is still audited, without input and output.
    return fallbackRecord(subject, outcome);
  }
}

/**
 * The invoker `mxcp serve` gives the MCP layer for one generation: every YAML endpoint call and every
 * built-in SQL tool call goes through the audit trail (which outlives generations).
 */
export function auditedInvoker(audit: AuditTrail) {
  return (generation: Generation) => ({
    endpoint: (endpoint: CompiledEndpoint, args: Readonly<Record<string, unknown>>, context: ExecutionContext) =>
      auditedInvoke(audit, generation, endpoint, args, context),
    builtin: <T>(name: string, args: Readonly<Record<string, unknown>>, context: ExecutionContext, run: () => Promise<T>) =>
      audited(audit, { generation, type: 'tool', name, input: args, context }, run),
  });
}
