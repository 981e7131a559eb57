/**
 * Builds an audit record: the key order of sdk/audit.ts (and of the JSON Schema), every key present,
 * input and output redacted, the error message scrubbed of secret values.
 */
import { randomUUID } from 'node:crypto';
import {
  type AuditCaller,
  type AuditRecord,
  type AuditType,
  kAuditSchemaVersion,
  kRedacted,
  type PolicyDecision,
} from '../../sdk/audit.js';
import { describeError } from '../../sdk/errors/base.js';
import type { ExecutionContext, Transport } from '../../sdk/execution-context.js';
import { type Plan, redact, redactText, sensitiveValues } from './redaction.js';

export interface AuditSubject {
  readonly type: AuditType;
  /** Tool or prompt name, resource URI (for `auth`: the refused method or path). */
  readonly name: string;
  readonly caller: AuditCaller;
  readonly context?: ExecutionContext;
  readonly generation?: number;
  readonly input?: unknown;
  readonly inputPlan?: Plan;
  readonly outputPlan?: Plan;
}

export interface AuditOutcome {
  /** Date.now() at request start. */
  readonly startedAt: number;
  readonly durationMs: number;
  readonly error?: unknown;
  readonly failed: boolean;
  readonly output?: unknown;
  readonly policyDecision?: PolicyDecision;
  readonly reason?: string;
  readonly traceId?: string;
}

export interface RecordOptions {
  readonly includeOutput: boolean;
  /** Secret values, longest first. */
  readonly secrets: readonly string[];
}

export function callerOf(transport: Transport): AuditCaller {
  switch (transport) {
    case 'stdio':
      return 'stdio';
    case 'streamable-http':
    case 'sse':
      return 'http';
    default:
      return 'cli';
  }
}

export function buildAuditRecord(subject: AuditSubject, outcome: AuditOutcome, options: RecordOptions): AuditRecord {
  const { context } = subject;
  const { secrets } = options;
  const input = subject.input === undefined ? null : redact(subject.input, subject.inputPlan, secrets);
  const output =
    options.includeOutput && !outcome.failed && outcome.output !== undefined ? redact(outcome.output, subject.outputPlan, secrets) : null;
  // Free text (error, reason) may quote a sensitive argument as well as a secret.
  const scrub = (text: string) => {
    const sensitive = sensitiveValues(subject.input, subject.inputPlan);
    return redactText(text, sensitive.length > 0 ? [...secrets, ...sensitive].sort((a, b) => b.length - a.length) : secrets);
  };
  return {
    schema_version: kAuditSchemaVersion,
    id: randomUUID(),
    timestamp: new Date(outcome.startedAt).toISOString(),
    caller: subject.caller,
    type: subject.type,
    name: subject.name,
    status: outcome.failed ? 'error' : 'success',
    error: outcome.failed ? scrub(describeError(outcome.error)) : null,
    duration_ms: Math.round(outcome.durationMs * 1000) / 1000,
    policy_decision: outcome.policyDecision ?? 'n/a',
    reason: outcome.reason === undefined ? null : scrub(outcome.reason),
    user_id: context?.user?.userId ?? null,
    username: context?.user?.username ?? null,
    session_id: context?.sessionId ?? null,
    trace_id: outcome.traceId ?? null,
    request_id: context?.requestId ?? null,
    input: isRecord(input) ? input : input === null ? null : { value: input },
    output,
    generation: subject.generation ?? null,
  };
}

/** The record when building the full one failed (a bug): everything but input and output, still audited. */
export function fallbackRecord(subject: AuditSubject, outcome: AuditOutcome): AuditRecord {
  return {
    ...buildAuditRecord({ ...subject, input: undefined }, { ...outcome, output: undefined }, { includeOutput: false, secrets: [] }),
    error: outcome.failed ? kRedacted : null,
    reason: outcome.reason === undefined ? null : kRedacted,
  };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
