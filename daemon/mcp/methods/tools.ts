/**
 * `tools/list` and `tools/call`. A call never fails at the JSON-RPC level once it names a tool: unknown
 * tools, invalid arguments and endpoint failures are results with `isError: true` (MXCP section 16.2,
 * DESIGN section 8), so the model sees the reason and can correct itself.
 */
import { Errors, isMxcpError } from '../../../sdk/errors/index.js';
import type { MethodCall } from '../method-call.js';
import { hasStructuredOutput } from '../protocol-version.js';
import { toolError, toolResult } from './tool-result.js';

export function listTools(call: MethodCall) {
  return call.catalog.listPage('tools', call.version, call.params.cursor);
}

export async function callTool(call: MethodCall): Promise<Record<string, unknown>> {
  const { name } = call.params;
  if (typeof name !== 'string') throw new Errors.MXCP_E_MCP_INVALID_PARAMS({ detail: 'tools/call needs a string "name"' });
  const tool = call.catalog.tools.get(name);
  if (!tool) return toolError(`Unknown tool: ${name}`);
  const args = call.params.arguments ?? {};
  if (typeof args !== 'object' || args === null || Array.isArray(args)) {
    return toolError(`Error executing tool ${name}: arguments must be an object`);
  }
  try {
    const value = await tool.run(args as Record<string, unknown>, call.executionContext(name));
    return toolResult(value, tool.structured, hasStructuredOutput(call.version));
  } catch (err) {
    // A cancelled call gets no result: the dispatcher answers (or stays silent) for it.
    if (call.signal?.aborted) throw call.signal.reason;
    if (!isMxcpError(err)) {
      call.logger.error({ err, tool: name }, 'tool failed with an unexpected error');
      return toolError(`Error executing tool ${name}: ${Errors.MXCP_E_MCP_INTERNAL.format()}`);
    }
    call.logger.debug({ err, tool: name }, 'tool call failed');
    return toolError(`Error executing tool ${name}: ${err.message}`);
  }
}
