/**
 * Shared by the spec/plugins.*.test.ts files: fixture paths, a logger whose lines a test can read, and the
 * in-process configuration load and generation build exactly as the CLI and daemon run them.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Logger, pino } from 'pino';
import { type LoadProjectOptions, loadProject, type ProjectConfig } from '../daemon/config/project.js';
import { buildGeneration } from '../daemon/generation/build-generation.js';
import type { Generation } from '../daemon/generation/generation.js';
import type { TempProject } from './support/project.js';

export const kRepoRoot = fileURLToPath(new URL('..', import.meta.url));
export const kFixtures = join(kRepoRoot, 'spec', 'fixtures', 'plugins');
export const kExamples = join(kRepoRoot, 'examples', 'plugins');

/** Folder names of the built-in plugins as built (dist/plugins), in discovery order. */
export function builtinFolders(): string[] {
  const dir = join(kRepoRoot, 'dist', 'plugins');
  return readdirSync(dir)
    .filter((name) => statSync(join(dir, name)).isDirectory())
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export interface CapturedLogger {
  readonly logger: Logger;
  /** Every line logged so far, parsed. */
  lines(): Record<string, unknown>[];
  /** Every line logged so far, raw. */
  text(): string;
}

export function captureLogger(level = 'debug'): CapturedLogger {
  const raw: string[] = [];
  const logger = pino({ level }, { write: (line: string) => raw.push(line) });
  return { logger, lines: () => raw.map((l) => JSON.parse(l) as Record<string, unknown>), text: () => raw.join('') };
}

/** Environment for in-process loads: MXCP_CONFIG_PATH and MXCP_PLUGIN_PATH as given, nothing from the developer's. */
export function pluginEnv(vars: Record<string, string | undefined>): Record<string, string | undefined> {
  return { PATH: process.env.PATH, ...vars };
}

export function load(
  project: TempProject,
  env: Record<string, string | undefined>,
  log: CapturedLogger,
  extra: Partial<LoadProjectOptions> = {},
) {
  return loadProject({ cwd: project.root, env, home: project.home, logger: log.logger, ...extra });
}

let nextId = 1;

/** Loads the configuration and builds a generation from it, as `mxcp run` does. */
export async function build(
  project: TempProject,
  env: Record<string, string | undefined>,
  log: CapturedLogger,
): Promise<{ config: ProjectConfig; generation: Generation }> {
  const config = await load(project, env, log);
  const generation = await buildGeneration({ id: nextId++, project: config, logger: log.logger, env, cwd: project.root });
  return { config, generation };
}

/** Runs SQL on a generation's database (rows of the last statement). */
export async function sql(generation: Generation, text: string): Promise<Record<string, unknown>[]> {
  if (!generation.database) throw new Error('generation has no database');
  return (await generation.database.query(text)).rows as Record<string, unknown>[];
}
