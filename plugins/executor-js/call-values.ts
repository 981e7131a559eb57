/**
 * Values crossing into and out of a worker: parameters going in (temporal tags turned into what endpoint code
 * expects, since structured clone drops classes), outcomes coming back, and the coded errors a call ends with.
 */
import { deserialize } from 'node:v8';
import { executorErrors } from '../../sdk/errors/executor.js';
import type { MxcpError } from '../../sdk/errors/index.js';
import { type CallOutcome, type EndpointSpec, fromWireError, type LoadProblem, type WireError } from './protocol.js';

/** `tool 'name' (file)` parts of executor error messages. */
export function endpointRef(spec: EndpointSpec): { kind: string; name: string; file: string } {
  return { kind: spec.kind, name: spec.name, file: spec.displayFile };
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Parameters as endpoint code sees them. Tagged temporals (the daemon's DateParam / TimeParam / TimestampParam,
 * recognised by shape because plugins do not import daemon code): timestamps become `Date` (from the microsecond
 * count, so a timestamp without offset reads as UTC; sub-millisecond digits are dropped), dates and times become
 * their ISO strings via `toJSON`. Arrays and plain objects are converted recursively; the rest passes as is.
 */
export function toWorkerValue(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(toWorkerValue);
  if (value instanceof Date) return value;
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toWorkerValue(v);
    return out;
  }
  const tagged = value as { micros?: unknown; iso?: unknown; toJSON?: unknown };
  if (typeof tagged.micros === 'bigint' && typeof tagged.iso === 'string') return new Date(Number(tagged.micros / 1000n));
  if (typeof tagged.toJSON === 'function') return (tagged.toJSON as () => unknown).call(value);
  return value;
}

/** The result of a successful call, or the coded error of a failed one (thrown). */
export function decodeOutcome(outcome: CallOutcome, spec: EndpointSpec): unknown {
  if (outcome instanceof Uint8Array) return deserialize(outcome);
  const cause = fromWireError(outcome.error);
  const location = { file: spec.displayFile };
  switch (outcome.failure) {
    case 'threw':
      return throwing(
        new executorErrors.MXCP_E_EXEC_ENDPOINT_FAILED(
          { message: outcome.error.message },
          { cause, location, details: [`${spec.kind} '${spec.name}'`] },
        ),
      );
    case 'not-cloneable':
      return throwing(
        new executorErrors.MXCP_E_EXEC_RESULT_NOT_CLONEABLE({ ...endpointRef(spec), detail: outcome.error.message }, { cause, location }),
      );
    default:
      return throwing(new executorErrors.MXCP_E_EXEC_NOT_PREPARED({ name: spec.name }, { cause, location }));
  }
}

function throwing(err: MxcpError): never {
  throw err;
}

/** A rejection from piscina that is not our abort: pool teardown, or the worker dying mid-call. */
export function poolFailure(err: unknown, spec: EndpointSpec): MxcpError {
  const message = err instanceof Error ? err.message : String(err);
  if (message === 'Terminating worker thread') return new executorErrors.MXCP_E_EXEC_CLOSED(undefined, { cause: err });
  return new executorErrors.MXCP_E_EXEC_WORKER_CRASHED(
    { ...endpointRef(spec), detail: message },
    { cause: err, location: { file: spec.displayFile } },
  );
}

/** `/abs/file.ts:3:7: text` (esbuild, via the loader hooks) or a stack starting `file:///abs/file.js:3`. */
function locate(error: WireError, display: (path: string) => string): { file?: string; line?: number; column?: number; text: string } {
  const esbuild = /^(\/[^\n]*?):(\d+):(\d+): ([\s\S]*)$/.exec(error.message);
  if (esbuild) return { file: display(esbuild[1]!), line: Number(esbuild[2]), column: Number(esbuild[3]), text: esbuild[4]! };
  const node = error.name === 'SyntaxError' ? /^file:\/\/(\/[^\n]*?):(\d+)\n/.exec(error.stack ?? '') : null;
  if (node) return { file: display(decodeURIComponent(node[1]!)), line: Number(node[2]), text: error.message };
  return { text: error.message };
}

/** The coded error for an endpoint its workers could not load. */
export function loadProblemError(problem: LoadProblem, spec: EndpointSpec, display: (path: string) => string): MxcpError {
  if (problem.kind === 'export' || !problem.error) {
    return new executorErrors.MXCP_E_EXEC_EXPORT_MISSING(
      { name: spec.kind === 'tool' ? spec.name : undefined, file: spec.displayFile },
      { location: { file: spec.displayFile } },
    );
  }
  const where = locate(problem.error, display);
  const position = where.file ? `${where.file}${where.line ? `:${where.line}` : ''}${where.column ? `:${where.column}` : ''}` : '';
  // `Failed to load ts/x.ts:2:21: Unexpected ";"`, or for a problem in an imported file
  // `Failed to load ts/x.ts: ts/lib/y.ts:3:1: ...`.
  const inItself = where.file === spec.displayFile;
  return new executorErrors.MXCP_E_EXEC_MODULE_LOAD(
    { file: inItself ? position : spec.displayFile, detail: inItself || !position ? where.text : `${position}: ${where.text}` },
    {
      cause: fromWireError(problem.error),
      location: { file: where.file ?? spec.displayFile, line: where.line, column: where.column },
      details: [`${spec.kind} '${spec.name}'`],
    },
  );
}
