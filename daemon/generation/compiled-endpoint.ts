/**
 * An endpoint ready to serve: its parameter converter compiled, its prompt templates compiled or its
 * executor chosen. Built once per generation; requests only call into it.
 */
import type { ExecutableEndpoint, Executor } from '../../sdk/executor.js';
import { type CompiledPrompt, compilePrompt } from '../engine/prompt-renderer.js';
import { compilePolicies, type EndpointPolicies } from '../policy/endpoint-policies.js';
import type { ValidEndpoint } from '../registry/registry.js';
import type { EndpointKind, ParameterDefinition, TypeDefinition } from '../registry/types.js';
import { compileParamConverter } from '../types/input-conversion.js';
import type { ParamValues } from '../types/values.js';

export interface CompiledEndpoint {
  readonly kind: EndpointKind;
  /** Tool/prompt name or resource URI. */
  readonly name: string;
  readonly entry: ValidEndpoint;
  readonly parameters: readonly ParameterDefinition[];
  readonly convert: (raw: Readonly<Record<string, unknown>>) => ParamValues;
  readonly returns?: TypeDefinition;
  /** Tools and resources. */
  readonly executor?: Executor;
  readonly executable?: ExecutableEndpoint;
  /** Prompts. */
  readonly prompt?: CompiledPrompt;
  /** Input and output policies, their CEL compiled once here. */
  readonly policies?: EndpointPolicies;
}

export function compileEndpoint(entry: ValidEndpoint, executorFor: (language: string) => Executor | undefined): CompiledEndpoint {
  const { endpoint } = entry;
  const parameters = endpoint.def.parameters ?? [];
  const base = {
    kind: endpoint.kind,
    name: entry.name,
    entry,
    parameters,
    convert: compileParamConverter(parameters),
    returns: endpoint.def.return,
    policies: compilePolicies(endpoint.def.policies, {
      kind: endpoint.kind,
      parameterNames: parameters.map((p) => p.name),
      returns: endpoint.def.return,
      file: entry.file,
    }),
  };
  if (endpoint.kind === 'prompt') return { ...base, prompt: compilePrompt(endpoint.def) };
  const source = entry.source;
  if (!source) throw new Error(`endpoint ${entry.name} has no resolved source`);
  const executable: ExecutableEndpoint = {
    kind: endpoint.kind,
    name: entry.name,
    source,
    parameterNames: parameters.map((p) => p.name),
  };
  return { ...base, executable, executor: executorFor(source.language) };
}
