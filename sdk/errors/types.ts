import { defineError } from './base.js';

/**
 * The type system: parameter conversion (per request), result shaping and output validation (per
 * result), and the compile step that prepares both once per endpoint. Messages follow MXCP's texts so
 * clients and tests written against the Python server still match.
 */
export const typeErrors = {
  MXCP_E_PARAM_MISSING: defineError<{ name: string }>('MXCP_E_PARAM_MISSING', (p) => `Required parameter missing: ${p.name}`),
  MXCP_E_PARAM_UNKNOWN: defineError<{ name: string }>('MXCP_E_PARAM_UNKNOWN', (p) => `Unknown parameter: ${p.name}`),
  MXCP_E_PARAM_ENUM: defineError<{ name: string; allowed: string }>(
    'MXCP_E_PARAM_ENUM',
    (p) => `Invalid value for ${p.name}. Must be one of: ${p.allowed}`,
  ),
  MXCP_E_PARAM_INVALID: defineError<{ name: string; detail: string }>(
    'MXCP_E_PARAM_INVALID',
    (p) => `Error validating parameter '${p.name}': ${p.detail}`,
  ),
  MXCP_E_TYPE_DEFINITION_INVALID: defineError<{ path: string; detail: string }>(
    'MXCP_E_TYPE_DEFINITION_INVALID',
    (p) => `Invalid type definition at ${p.path}: ${p.detail}`,
  ),
  MXCP_E_RESULT_EMPTY: defineError<void>('MXCP_E_RESULT_EMPTY', () => 'No results returned'),
  MXCP_E_RESULT_NOT_SINGLE_ROW: defineError<{ type: string; count: number }>(
    'MXCP_E_RESULT_NOT_SINGLE_ROW',
    (p) => `Expected single result for return type '${p.type}', but got ${p.count} results`,
  ),
  MXCP_E_RESULT_NOT_SINGLE_VALUE: defineError<{ type: string; count: number }>(
    'MXCP_E_RESULT_NOT_SINGLE_VALUE',
    (p) => `Expected single value for return type '${p.type}', but got ${p.count} values`,
  ),
  MXCP_E_OUTPUT_INVALID: defineError<{ detail: string }>('MXCP_E_OUTPUT_INVALID', (p) => `Output validation failed: ${p.detail}`),
} as const;
