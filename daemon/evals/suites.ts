/**
 * Eval suites: every `*.yml` under `paths.evals` with a top-level `mxcp` key (others are skipped, as MXCP
 * does), validated against config/schemas/eval-suite.schema.json with file, line and key in errors.
 */
import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { Errors } from '../../sdk/errors/index.js';
import { schemaError } from '../config/config-errors.js';
import type { ProjectConfig } from '../config/project.js';
import { validateSchema } from '../config/schema-validator.js';
import { readYamlFile } from '../config/yaml-file.js';

export interface EvalAssertions {
  must_call?: { tool: string; args: Record<string, unknown> }[];
  must_not_call?: string[];
  answer_contains?: string[];
  answer_not_contains?: string[];
}
export interface EvalTest {
  name: string;
  description?: string;
  prompt: string;
  user_context?: Record<string, unknown>;
  assertions: EvalAssertions;
}
export interface EvalSuite {
  mxcp: 1;
  suite: string;
  description?: string;
  model?: string;
  tests: EvalTest[];
  /** Relative to the project root. */
  path: string;
}

async function ymlFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const out: string[] = [];
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const full = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await ymlFiles(full)));
    else if (e.name.endsWith('.yml') || e.name.endsWith('.yaml')) out.push(full);
  }
  return out;
}

export async function loadSuites(project: ProjectConfig): Promise<EvalSuite[]> {
  const suites: EvalSuite[] = [];
  for (const abs of await ymlFiles(join(project.root, project.siteConfig.paths.evals))) {
    const rel = relative(project.root, abs);
    const file = await readYamlFile(abs, rel);
    const data = file.data as Record<string, unknown> | undefined;
    if (!data || typeof data !== 'object' || !('mxcp' in data)) continue;
    const result = validateSchema('eval-suite', data);
    if (!result.valid) throw schemaError(Errors.MXCP_E_EVAL_SUITE_INVALID, file, result.issues);
    suites.push({ ...(data as unknown as Omit<EvalSuite, 'path'>), path: rel });
  }
  return suites;
}
