/** Parameter validation failures: the client sent wrong arguments (-32602), not a server failure. */
import { Errors, isMxcpError, type MxcpError } from '../../../sdk/errors/index.js';

const kArgumentCodes = new Set<string>([
  Errors.MXCP_E_PARAM_MISSING.code,
  Errors.MXCP_E_PARAM_UNKNOWN.code,
  Errors.MXCP_E_PARAM_ENUM.code,
  Errors.MXCP_E_PARAM_INVALID.code,
]);

export function isArgumentError(err: unknown): err is MxcpError {
  return isMxcpError(err) && kArgumentCodes.has(err.code);
}
