/** Endpoint definitions as validated by `config/schemas/endpoint.schema.json`. */

export type EndpointKind = 'tool' | 'resource' | 'prompt';
export const kEndpointKinds: readonly EndpointKind[] = ['tool', 'resource', 'prompt'];

export type TypeName = 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object';
export type StringFormat = 'email' | 'uri' | 'date' | 'time' | 'date-time' | 'duration' | 'timestamp';

export interface TypeDefinition {
  type: TypeName;
  name?: string;
  format?: StringFormat;
  description?: string;
  default?: unknown;
  examples?: unknown[];
  enum?: unknown[];
  sensitive?: boolean;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  items?: TypeDefinition;
  properties?: Record<string, TypeDefinition>;
  required?: string[];
  additionalProperties?: boolean;
}

export interface ParameterDefinition extends TypeDefinition {
  name: string;
}

export interface SourceDefinition {
  code?: string;
  file?: string;
  language?: string;
}

export interface PolicyRule {
  condition: string;
  action: 'deny' | 'filter_fields' | 'mask_fields' | 'filter_sensitive_fields';
  reason?: string;
  fields?: string[];
}

export interface Policies {
  input?: PolicyRule[];
  output?: PolicyRule[];
}

export interface TestDefinition {
  name: string;
  description?: string;
  arguments: { key: string; value?: unknown }[];
  user_context?: Record<string, unknown>;
  result?: unknown;
  result_contains?: unknown;
  result_not_contains?: string[];
  result_contains_item?: unknown;
  result_contains_all?: unknown[];
  result_length?: number;
  result_contains_text?: string;
}

interface CommonDefinition {
  description?: string;
  tags?: string[];
  parameters?: ParameterDefinition[];
  return?: TypeDefinition;
  enabled: boolean;
  tests?: TestDefinition[];
  policies?: Policies;
}

export interface ToolDefinition extends CommonDefinition {
  name: string;
  annotations?: {
    title?: string;
    readOnlyHint?: boolean;
    destructiveHint?: boolean;
    idempotentHint?: boolean;
    openWorldHint?: boolean;
  };
  language?: string;
  source: SourceDefinition;
}

export interface ResourceDefinition extends CommonDefinition {
  uri: string;
  name?: string;
  mime_type?: string;
  language?: string;
  source: SourceDefinition;
}

export interface PromptMessage {
  prompt: string;
  role?: string;
  type?: string;
}

export interface PromptDefinition extends CommonDefinition {
  name: string;
  messages: PromptMessage[];
}

export type EndpointDefinition =
  | { kind: 'tool'; def: ToolDefinition }
  | { kind: 'resource'; def: ResourceDefinition }
  | { kind: 'prompt'; def: PromptDefinition };

/** The identifier MXCP keys endpoints by: tool/prompt name, resource URI. */
export function endpointId(e: EndpointDefinition): string {
  return e.kind === 'resource' ? e.def.uri : e.def.name;
}
