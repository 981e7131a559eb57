import { adminErrors } from './admin.js';
import { auditErrors } from './audit.js';
import { authErrors } from './auth.js';
import { cliErrors } from './cli.js';
import { configErrors } from './config.js';
import { duckdbErrors } from './duckdb.js';
import { endpointErrors } from './endpoints.js';
import { executorErrors } from './executor.js';
import { fileErrors } from './files.js';
import { mcpErrors } from './mcp.js';
import { modelErrors } from './models.js';
import { pluginErrors } from './plugins.js';
import { policyErrors } from './policy.js';
import { qualityErrors } from './quality.js';
import { typeErrors } from './types.js';

export type { ErrorLocation, ErrorSpec, MxcpErrorClass, MxcpErrorOptions } from './base.js';
export { defineError, describeError, formatLocated, isMxcpError, MxcpError } from './base.js';

/**
 * The whole catalogue, keyed by code. `spec/errors.md` documents every entry; a test keeps the two in
 * step and pins the count, so a code is never silently renamed or reused.
 */
export const Errors = {
  ...fileErrors,
  ...configErrors,
  ...endpointErrors,
  ...executorErrors,
  ...cliErrors,
  ...typeErrors,
  ...duckdbErrors,
  ...mcpErrors,
  ...pluginErrors,
  ...auditErrors,
  ...policyErrors,
  ...authErrors,
  ...qualityErrors,
  ...modelErrors,
  ...adminErrors,
} as const;

export type ErrorCode = keyof typeof Errors;
