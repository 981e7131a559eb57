import { defineError } from './base.js';

/** Where an endpoint's code lives, for messages: `tool 'name' (js/file.ts)`. */
export interface EndpointRef {
  /** `tool` or `resource`. */
  kind: string;
  /** Tool name or resource URI. */
  name: string;
  /** The source file, relative to the project root when inside it. */
  file: string;
}

const label = (p: EndpointRef): string => `${p.kind} '${p.name}' (${p.file})`;

/** Executors of endpoint code (the TypeScript/JavaScript worker pool) and the runtime API endpoint code calls. */
export const executorErrors = {
  MXCP_E_EXEC_MODULE_LOAD: defineError<{ file: string; detail: string }>(
    'MXCP_E_EXEC_MODULE_LOAD',
    (p) => `Failed to load ${p.file}: ${p.detail}`,
  ),
  MXCP_E_EXEC_EXPORT_MISSING: defineError<{ name?: string; file: string }>('MXCP_E_EXEC_EXPORT_MISSING', (p) =>
    p.name === undefined ? `No callable function found in ${p.file}` : `Function '${p.name}' not found in ${p.file}`,
  ),
  MXCP_E_EXEC_ENDPOINT_FAILED: defineError<{ message: string }>('MXCP_E_EXEC_ENDPOINT_FAILED', (p) => p.message),
  MXCP_E_EXEC_TIMEOUT: defineError<EndpointRef & { ms: number }>(
    'MXCP_E_EXEC_TIMEOUT',
    (p) => `${label(p)} timed out after ${p.ms} ms; its worker was stopped`,
  ),
  MXCP_E_EXEC_ABORTED: defineError<EndpointRef>('MXCP_E_EXEC_ABORTED', (p) => `${label(p)} was cancelled`),
  MXCP_E_EXEC_WORKER_CRASHED: defineError<EndpointRef & { detail: string }>(
    'MXCP_E_EXEC_WORKER_CRASHED',
    (p) => `The worker running ${label(p)} stopped: ${p.detail}`,
  ),
  MXCP_E_EXEC_RESULT_NOT_CLONEABLE: defineError<EndpointRef & { detail: string }>(
    'MXCP_E_EXEC_RESULT_NOT_CLONEABLE',
    (p) => `${label(p)} returned a value that cannot leave its worker thread (functions, symbols, ...): ${p.detail}`,
  ),
  MXCP_E_EXEC_WORKER_START: defineError<{ detail: string }>(
    'MXCP_E_EXEC_WORKER_START',
    (p) => `JavaScript/TypeScript workers failed to start: ${p.detail}`,
  ),
  MXCP_E_EXEC_QUEUE_FULL: defineError<EndpointRef & { limit: number }>(
    'MXCP_E_EXEC_QUEUE_FULL',
    (p) => `Cannot run ${label(p)}: ${p.limit} calls are already waiting for a worker`,
  ),
  MXCP_E_EXEC_NOT_PREPARED: defineError<{ name: string }>(
    'MXCP_E_EXEC_NOT_PREPARED',
    (p) => `Endpoint '${p.name}' was not prepared by the JavaScript/TypeScript executor`,
  ),
  MXCP_E_EXEC_CLOSED: defineError<void>('MXCP_E_EXEC_CLOSED', () => 'The JavaScript/TypeScript executor is closed'),
  MXCP_E_EXEC_NO_CONTEXT: defineError<void>(
    'MXCP_E_EXEC_NO_CONTEXT',
    () => 'No execution context available - function not called from MXCP executor',
  ),
} as const;
