/**
 * Loads one endpoint file: YAML → endpoint type → schema (with defaults) → name rules. Every failure is a
 * coded error located at the file, line and key path (`tool.parameters.0.type`), like MXCP's load errors.
 */
import { Errors, type MxcpError } from '../../sdk/errors/index.js';
import { schemaError } from '../config/config-errors.js';
import { validateSchema } from '../config/schema-validator.js';
import { isPlainObject } from '../config/site-config.js';
import { locate, readYamlFile, type YamlFile } from '../config/yaml-file.js';
import { type EndpointDefinition, type EndpointKind, kEndpointKinds, type ParameterDefinition } from './types.js';

export type LoadedEndpointFile =
  | { ok: true; file: YamlFile; endpoint: EndpointDefinition }
  | { ok: false; file?: YamlFile; error: MxcpError };

export async function loadEndpointFile(absPath: string, displayPath: string): Promise<LoadedEndpointFile> {
  let file: YamlFile;
  try {
    file = await readYamlFile(absPath, displayPath);
  } catch (err) {
    return { ok: false, error: err as MxcpError };
  }
  try {
    return { ok: true, file, endpoint: parseEndpoint(file) };
  } catch (err) {
    return { ok: false, file, error: err as MxcpError };
  }
}

function parseEndpoint(file: YamlFile): EndpointDefinition {
  const at = (path: (string | number)[], key = false) => ({ location: locate(file, path, { key }) });
  if (file.data === undefined)
    throw new Errors.MXCP_E_ENDPOINT_EMPTY(undefined, { location: { file: file.displayPath, line: 1, column: 1 } });
  if (!isPlainObject(file.data)) {
    throw new Errors.MXCP_E_YAML_NOT_MAPPING(
      { what: 'An endpoint file', got: Array.isArray(file.data) ? 'a list' : typeof file.data },
      at([]),
    );
  }
  const data = structuredClone(file.data);
  const kinds = kEndpointKinds.filter((k) => k in data);
  if (kinds.length === 0) throw new Errors.MXCP_E_ENDPOINT_NO_TYPE(undefined, at([]));
  if (kinds.length > 1) throw new Errors.MXCP_E_ENDPOINT_MULTIPLE_TYPES({ found: kinds.join(', ') }, at([kinds[1] as string], true));
  // MXCP coerces a string version with int(float(s)); anything that is not 1 then fails the schema.
  if (typeof data.mxcp === 'string' && /^\s*[0-9]+(\.[0-9]*)?\s*$/.test(data.mxcp)) data.mxcp = Math.trunc(Number(data.mxcp));

  const result = validateSchema('endpoint', data);
  if (!result.valid) throw schemaError(Errors.MXCP_E_ENDPOINT_SCHEMA, file, result.issues);

  const kind = kinds[0] as EndpointKind;
  const def = data[kind] as Record<string, unknown>;
  checkParameters(file, kind, (def.parameters as ParameterDefinition[] | undefined) ?? []);
  if (kind !== 'prompt') {
    const source = def.source as { code?: string; file?: string };
    const hasCode = typeof source.code === 'string' && source.code.length > 0;
    const hasFile = typeof source.file === 'string' && source.file.length > 0;
    if (hasCode === hasFile) throw new Errors.MXCP_E_ENDPOINT_SOURCE({ path: `${kind}.source` }, at([kind, 'source']));
  }
  // The schema has just validated `def` against the definition of `kind`.
  return { kind, def } as unknown as EndpointDefinition;
}

/** MXCP's parameter-name rules, with its messages, plus a check for names declared twice. */
function checkParameters(file: YamlFile, kind: EndpointKind, params: readonly ParameterDefinition[]): void {
  const seen = new Set<string>();
  params.forEach((p, i) => {
    const path = `${kind}.parameters.${i}.name`;
    const location = locate(file, [kind, 'parameters', i, 'name']);
    let problem: string | undefined;
    if (p.name.length === 0) problem = 'Parameter name cannot be empty';
    else if (!/^[A-Za-z_]/.test(p.name)) problem = `Parameter name '${p.name}' must start with a letter or underscore`;
    else if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(p.name))
      problem = `Parameter name '${p.name}' must contain only alphanumeric characters or underscores`;
    if (problem) throw new Errors.MXCP_E_ENDPOINT_PARAM_NAME({ path, problem }, { location });
    if (seen.has(p.name)) throw new Errors.MXCP_E_ENDPOINT_PARAM_DUPLICATE({ path, name: p.name }, { location });
    seen.add(p.name);
  });
}
