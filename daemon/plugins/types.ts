/**
 * What discovery knows about one plugin folder, and how a failure is kept: by phase, with the coded error
 * and a way to restate it as fatal once the caller knows the configuration cannot do without the plugin.
 */
import type { ValidateFunction } from 'ajv/dist/2020.js';
import type { MxcpError } from '../../sdk/errors/index.js';
import type { PluginManifest } from '../../sdk/plugin-definition.js';
import type { PluginKind } from '../../sdk/plugin-kinds.js';

/** Where a plugin was found, in discovery order. */
export type PluginSource = 'builtin' | 'project' | 'path' | 'package';

/** The step that failed (STYLE: diagnostics by phase). */
export type PluginPhase = 'discover' | 'manifest' | 'sdk' | 'duplicate' | 'entry' | 'contract' | 'config' | 'create' | 'init' | 'ready';

export interface PluginFailure {
  readonly phase: PluginPhase;
  readonly error: MxcpError;
  /** The same error, stating why the plugin is required (used when the failure becomes fatal). */
  required(reason: string): MxcpError;
}

export interface PluginRecord {
  /** The manifest's `name`; the folder or package name when the manifest is unusable. */
  readonly name: string;
  readonly dir: string;
  readonly source: PluginSource;
  /** Present once the manifest validated (even when a later check failed). */
  readonly manifest?: PluginManifest;
  /** The manifest's `configSchema`, compiled. */
  readonly validateConfig?: ValidateFunction;
  /** The first failure; a record with one is never instantiated. */
  failure?: PluginFailure;
}

export function kindOf(record: PluginRecord): PluginKind | undefined {
  return record.manifest?.mxcp.kind;
}

/** Builds a {@link PluginFailure} from an error class of the catalogue and its parameters. */
export function failure<P extends { required?: string }>(
  phase: PluginPhase,
  cls: new (params: P, options?: { cause?: unknown }) => MxcpError,
  params: P,
  cause?: unknown,
): PluginFailure {
  const options = cause === undefined ? undefined : { cause };
  return { phase, error: new cls(params, options), required: (reason) => new cls({ ...params, required: reason }, options) };
}

/** The message of anything thrown, without a stack. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
