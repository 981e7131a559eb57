/**
 * One-shot commands (`run`, `test`) build a generation exactly as the daemon does, use it, and close it.
 */
import { envFlag } from '../config/env.js';
import { loadProject } from '../config/project.js';
import { buildGeneration } from '../generation/build-generation.js';
import type { Generation } from '../generation/generation.js';
import type { CommandContext } from './run-command.js';

export interface GenerationOptions {
  readonly profile?: string;
  readonly readonly?: boolean;
}

export async function withGeneration<T>(
  ctx: CommandContext,
  opts: GenerationOptions,
  use: (generation: Generation) => Promise<T>,
): Promise<T> {
  const project = await loadProject({ cwd: ctx.cwd, env: ctx.env, profile: opts.profile });
  const readonly = opts.readonly || envFlag(ctx.env, 'MXCP_READONLY') || undefined;
  const generation = await buildGeneration({ id: 1, project, logger: ctx.log, readonly });
  try {
    return await use(generation);
  } finally {
    await generation.close('command');
  }
}
