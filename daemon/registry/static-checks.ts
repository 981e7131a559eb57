/**
 * Checks an endpoint can be served without touching the database: its language has an executor, its
 * source exists inside the project (SQL text is read once here, never per request), resource parameters
 * match URI placeholders, prompt templates parse and use only declared parameters.
 */
import { realpathSync } from 'node:fs';
import { dirname, extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { Errors, type MxcpError } from '../../sdk/errors/index.js';
import { readTextFile } from '../config/text-file.js';
import { locate, type YamlFile } from '../config/yaml-file.js';
import { loadCel } from '../policy/cel-condition.js';
import { compilePolicies } from '../policy/endpoint-policies.js';
import { undeclaredVariables } from './template-vars.js';
import type { EndpointDefinition, ResourceDefinition, SourceDefinition, ToolDefinition } from './types.js';

/** Where an endpoint's code comes from, resolved once per generation. */
export interface ResolvedSource {
  readonly language: string;
  /** Inline code, or the text of a SQL file. `undefined` for module languages loaded by their executor. */
  readonly code?: string;
  /** Absolute path of `source.file`, when given. */
  readonly file?: string;
}

const kExtensionLanguage: Record<string, string> = {
  '.sql': 'sql',
  '.py': 'python',
  '.ts': 'typescript',
  '.mts': 'typescript',
  '.js': 'javascript',
  '.mjs': 'javascript',
};

/** tool/resource `language` > `source.language` > the file's extension > `sql`. */
export function endpointLanguage(def: ToolDefinition | ResourceDefinition): string {
  const fromExt = def.source.file ? kExtensionLanguage[extname(def.source.file).toLowerCase()] : undefined;
  return def.language ?? def.source.language ?? fromExt ?? 'sql';
}

export interface CheckContext {
  readonly root: string;
  /** Languages that have an executor plugin. */
  readonly languages: ReadonlySet<string>;
}

/** Returns the resolved source (tools/resources) or throws the first problem as a coded, located error. */
export async function checkEndpoint(endpoint: EndpointDefinition, file: YamlFile, ctx: CheckContext): Promise<ResolvedSource | undefined> {
  // Policy conditions must parse and name only variables they will have (the generation compiles them again).
  if (endpoint.def.policies) await loadCel();
  compilePolicies(endpoint.def.policies, {
    kind: endpoint.kind,
    parameterNames: (endpoint.def.parameters ?? []).map((p) => p.name),
    file,
  });
  switch (endpoint.kind) {
    case 'prompt':
      checkPrompt(endpoint.def.messages, file);
      return undefined;
    case 'resource':
      checkResourceUri(endpoint.def, file);
      return resolveSource(endpoint.kind, endpoint.def, file, ctx);
    case 'tool':
      return resolveSource(endpoint.kind, endpoint.def, file, ctx);
  }
}

async function resolveSource(
  kind: 'tool' | 'resource',
  def: ToolDefinition | ResourceDefinition,
  file: YamlFile,
  ctx: CheckContext,
): Promise<ResolvedSource> {
  const language = endpointLanguage(def);
  const source: SourceDefinition = def.source;
  const at = (path: (string | number)[]) => ({ location: locate(file, path) });
  if (language === 'python' && source.code) throw new Errors.MXCP_E_ENDPOINT_PYTHON_INLINE(undefined, at([kind, 'source', 'code']));

  let absFile: string | undefined;
  if (source.file) {
    absFile = sourcePath(source.file, file.absPath, ctx.root);
    const inside = isInside(ctx.root, absFile);
    if (!inside)
      throw new Errors.MXCP_E_ENDPOINT_PATH_ESCAPE({ path: `${kind}.source.file`, file: source.file }, at([kind, 'source', 'file']));
  }
  if (!ctx.languages.has(language))
    throw new Errors.MXCP_E_ENDPOINT_NO_EXECUTOR({ language }, at([kind, def.language ? 'language' : 'source']));

  let code = source.code;
  if (absFile) {
    let text: string;
    try {
      text = await readTextFile(absFile, relative(ctx.root, absFile));
    } catch (err) {
      const e = err as MxcpError;
      if (e.code === Errors.MXCP_E_FILE_NOT_FOUND.code) {
        throw new Errors.MXCP_E_ENDPOINT_SOURCE_MISSING(
          { path: `${kind}.source.file`, file: absFile },
          { ...at([kind, 'source', 'file']), cause: err },
        );
      }
      throw err;
    }
    // Module languages are loaded by their executor (transpiled in memory); only SQL text is kept here.
    if (language === 'sql') code = text;
  }
  if (language === 'sql' && (code ?? '').trim().length === 0) {
    throw new Errors.MXCP_E_ENDPOINT_SOURCE_EMPTY({ path: `${kind}.source` }, at([kind, 'source']));
  }
  return { language, code: language === 'sql' ? code : source.code, file: absFile };
}

/**
 * `source.file` is relative to the YAML file's folder; an absolute path is taken relative to the project
 * root (MXCP's convention), so a project stays relocatable.
 */
export function sourcePath(file: string, yamlAbsPath: string, root: string): string {
  return isAbsolute(file) ? resolve(root, `.${sep}${file}`) : resolve(dirname(yamlAbsPath), file);
}

/** Inside the project both lexically and after following symlinks (a link must not lead out of it). */
function isInside(root: string, path: string): boolean {
  if (!isBelow(relative(root, path))) return false;
  try {
    return isBelow(relative(realpathSync(root), realpathSync(path)));
  } catch {
    return true; // does not exist yet: the missing-file check reports it
  }
}

/** A relative path that stays below its base (`..sql/x` is a legal folder name; `../x` leaves). */
function isBelow(rel: string): boolean {
  return rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

const kPlaceholder = /\{([^{}]+)\}/g;

function checkResourceUri(def: ResourceDefinition, file: YamlFile): void {
  const placeholders = new Set([...def.uri.matchAll(kPlaceholder)].map((m) => m[1] as string));
  const params = (def.parameters ?? []).map((p) => p.name);
  const unused = params.filter((p) => !placeholders.has(p));
  if (unused.length > 0) {
    throw new Errors.MXCP_E_ENDPOINT_RESOURCE_PARAMS(
      { names: `[${unused.map((n) => `'${n}'`).join(', ')}]`, uri: def.uri },
      { location: locate(file, ['resource', 'parameters']) },
    );
  }
  const undeclared = [...placeholders].filter((p) => !params.includes(p));
  if (undeclared.length > 0) {
    throw new Errors.MXCP_E_ENDPOINT_URI_PLACEHOLDER(
      { names: `[${undeclared.map((n) => `'${n}'`).join(', ')}]`, uri: def.uri },
      { location: locate(file, ['resource', 'uri']) },
    );
  }
}

function checkPrompt(messages: readonly { prompt: string }[], file: YamlFile): void {
  if (messages.length === 0)
    throw new Errors.MXCP_E_ENDPOINT_PROMPT_NO_MESSAGES(undefined, { location: locate(file, ['prompt', 'messages']) });
  const declared = new Set(
    ((file.data as { prompt?: { parameters?: { name?: unknown }[] } }).prompt?.parameters ?? []).map((p) => String(p.name)),
  );
  messages.forEach((m, index) => {
    const location = locate(file, ['prompt', 'messages', index, 'prompt']);
    const scan = undeclaredVariables(m.prompt);
    if (!scan.ok) throw new Errors.MXCP_E_ENDPOINT_TEMPLATE_SYNTAX({ index, detail: scan.error }, { location });
    const missing = scan.undeclared.filter((v) => !declared.has(v));
    if (missing.length > 0) throw new Errors.MXCP_E_ENDPOINT_TEMPLATE_VARS({ index, names: missing.join(', ') }, { location });
  });
}
