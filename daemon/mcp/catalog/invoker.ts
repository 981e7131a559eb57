/**
 * How MCP calls reach the engine for one generation. The serving command supplies an audited invoker (every
 * tools/call, resources/read and prompts/get leaves an audit record); without one, calls go straight to the
 * pipeline (unit tests of the protocol layer).
 */
import type { ExecutionContext } from '../../../sdk/execution-context.js';
import { invokeEndpoint } from '../../engine/invoke.js';
import type { CompiledEndpoint } from '../../generation/compiled-endpoint.js';
import type { Generation } from '../../generation/generation.js';

export interface Invoker {
  /** A YAML endpoint through the full pipeline. */
  endpoint(endpoint: CompiledEndpoint, args: Readonly<Record<string, unknown>>, context: ExecutionContext): Promise<unknown>;
  /** A built-in tool (the SQL tools), wrapped the same way. */
  builtin<T>(name: string, args: Readonly<Record<string, unknown>>, context: ExecutionContext, run: () => Promise<T>): Promise<T>;
}

export type InvokerFactory = (generation: Generation) => Invoker;

export const directInvoker: InvokerFactory = () => ({
  endpoint: (endpoint, args, context) => invokeEndpoint(endpoint, args, context),
  builtin: (_name, _args, _context, run) => run(),
});
