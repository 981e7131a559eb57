/**
 * The languages the project's executor plugins provide, read from their manifests (`mxcp.provides`) without
 * running any plugin code: what `mxcp validate` checks endpoint languages against, so a third-party executor
 * (say, for `language: python`) makes its endpoints valid exactly as it makes them servable.
 */
import { resolve } from 'node:path';
import type { Env } from '../config/env.js';
import type { ProjectConfig } from '../config/project.js';
import { discoverPlugins } from './discover.js';
import { kindOf } from './types.js';

export async function executorLanguages(project: ProjectConfig, cwd: string, env: Env): Promise<ReadonlySet<string>> {
  const records = await discoverPlugins({
    cwd,
    projectPluginsDir: resolve(project.root, project.siteConfig.paths.plugins),
    pluginPath: env.MXCP_PLUGIN_PATH,
    packages: project.userConfig.plugins?.packages ?? [],
    packageBase: project.root,
  });
  // A plugin with a broken manifest provides nothing; `mxcp plugins` reports why.
  return new Set(records.filter((r) => kindOf(r) === 'executor' && !r.failure).flatMap((r) => r.manifest?.mxcp.provides ?? []));
}
