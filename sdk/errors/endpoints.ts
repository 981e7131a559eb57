import { defineError } from './base.js';

/** Endpoint definition files (tools, resources, prompts) and their static checks. */
export const endpointErrors = {
  MXCP_E_ENDPOINT_EMPTY: defineError<void>('MXCP_E_ENDPOINT_EMPTY', () => 'Endpoint file is empty'),
  MXCP_E_ENDPOINT_NO_TYPE: defineError<void>(
    'MXCP_E_ENDPOINT_NO_TYPE',
    () => 'Endpoint definition must include a tool, resource, or prompt definition',
  ),
  MXCP_E_ENDPOINT_MULTIPLE_TYPES: defineError<{ found: string }>(
    'MXCP_E_ENDPOINT_MULTIPLE_TYPES',
    (p) => `Endpoint definition must contain exactly one endpoint type (found ${p.found})`,
  ),
  MXCP_E_ENDPOINT_SCHEMA: defineError<{ detail: string }>('MXCP_E_ENDPOINT_SCHEMA', (p) => p.detail),
  MXCP_E_ENDPOINT_SOURCE: defineError<{ path: string }>(
    'MXCP_E_ENDPOINT_SOURCE',
    (p) => `${p.path}: Source must provide exactly one of 'code' or 'file'`,
  ),
  MXCP_E_ENDPOINT_PARAM_NAME: defineError<{ path: string; problem: string }>(
    'MXCP_E_ENDPOINT_PARAM_NAME',
    (p) => `${p.path}: ${p.problem}`,
  ),
  MXCP_E_ENDPOINT_PARAM_DUPLICATE: defineError<{ path: string; name: string }>(
    'MXCP_E_ENDPOINT_PARAM_DUPLICATE',
    (p) => `${p.path}: Parameter '${p.name}' is declared more than once`,
  ),
  MXCP_E_ENDPOINT_DUPLICATE: defineError<{ label: 'name' | 'URI'; name: string; files: string }>(
    'MXCP_E_ENDPOINT_DUPLICATE',
    (p) => `Duplicate endpoint ${p.label} '${p.name}' found in: ${p.files}`,
  ),
  MXCP_E_ENDPOINT_PATH_ESCAPE: defineError<{ path: string; file: string }>(
    'MXCP_E_ENDPOINT_PATH_ESCAPE',
    (p) => `${p.path}: '${p.file}' resolves outside the project directory; source files must stay inside it`,
  ),
  MXCP_E_ENDPOINT_SOURCE_MISSING: defineError<{ path: string; file: string }>(
    'MXCP_E_ENDPOINT_SOURCE_MISSING',
    (p) => `${p.path}: source file not found: ${p.file}`,
  ),
  MXCP_E_ENDPOINT_SOURCE_EMPTY: defineError<{ path: string }>('MXCP_E_ENDPOINT_SOURCE_EMPTY', (p) => `${p.path}: No SQL query found`),
  MXCP_E_ENDPOINT_PYTHON_INLINE: defineError<void>('MXCP_E_ENDPOINT_PYTHON_INLINE', () => 'Python endpoints must specify source.file'),
  MXCP_E_ENDPOINT_NO_EXECUTOR: defineError<{ language: string }>(
    'MXCP_E_ENDPOINT_NO_EXECUTOR',
    (p) => `No executor plugin for language ${p.language}`,
  ),
  MXCP_E_ENDPOINT_RESOURCE_PARAMS: defineError<{ names: string; uri: string }>(
    'MXCP_E_ENDPOINT_RESOURCE_PARAMS',
    (p) => `Resource parameter(s) ${p.names} are not used in uri '${p.uri}'. ` + `Put them in the uri or make a 'tool:' instead.`,
  ),
  MXCP_E_ENDPOINT_URI_PLACEHOLDER: defineError<{ names: string; uri: string }>(
    'MXCP_E_ENDPOINT_URI_PLACEHOLDER',
    (p) => `URI '${p.uri}' has placeholder(s) ${p.names} with no declared parameter of that name`,
  ),
  MXCP_E_ENDPOINT_PROMPT_NO_MESSAGES: defineError<void>(
    'MXCP_E_ENDPOINT_PROMPT_NO_MESSAGES',
    () => 'No messages found in prompt definition',
  ),
  MXCP_E_ENDPOINT_TEMPLATE_VARS: defineError<{ index: number; names: string }>(
    'MXCP_E_ENDPOINT_TEMPLATE_VARS',
    (p) => `Message ${p.index} uses undefined template variables: ${p.names}`,
  ),
  MXCP_E_ENDPOINT_TEMPLATE_SYNTAX: defineError<{ index: number; detail: string }>(
    'MXCP_E_ENDPOINT_TEMPLATE_SYNTAX',
    (p) => `Message ${p.index} has a template syntax error: ${p.detail}`,
  ),
  MXCP_E_ENDPOINT_NOT_FOUND: defineError<{ name: string; kind: string }>(
    'MXCP_E_ENDPOINT_NOT_FOUND',
    (p) => `Endpoint '${p.name}' not found in ${p.kind}s`,
  ),
  MXCP_E_ENDPOINT_FILE_UNKNOWN: defineError<{ file: string }>(
    'MXCP_E_ENDPOINT_FILE_UNKNOWN',
    () => 'Endpoint file not found or not a valid endpoint',
  ),
  MXCP_E_ENDPOINT_SQL_INVALID: defineError<{ detail: string }>(
    'MXCP_E_ENDPOINT_SQL_INVALID',
    (p) => `Source code syntax validation failed: ${p.detail}`,
  ),
  MXCP_E_ENDPOINT_PARAM_MISMATCH: defineError<{ missing: string; extra: string }>(
    'MXCP_E_ENDPOINT_PARAM_MISMATCH',
    (p) => `Parameter mismatch: missing=${p.missing}, extra=${p.extra}`,
  ),
} as const;
