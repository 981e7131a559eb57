/**
 * Audit sinks through the plugin mechanism. Sinks outlive generations (DESIGN 2: a reload must never drop
 * or duplicate a record), so they are not part of a generation's plugins: the audit trail that owns them
 * opens them here, once, and again only when its settings change. Same discovery, manifest checks, entry
 * loading, config validation, child container, contract check and `init` as every plugin; audit sinks are a
 * security kind, so a broken one fails the call (fail closed). `close()` on the returned set closes them in
 * reverse order.
 */
import { resolve } from 'node:path';
import type { Env } from '../config/env.js';
import type { ProjectConfig } from '../config/project.js';
import type { Logger } from '../logging/logger.js';
import { discoverPlugins } from './discover.js';
import { configBlock } from './plugin-config.js';
import { PluginSet } from './plugin-set.js';

export interface AuditSinkOptions {
  readonly project: ProjectConfig;
  readonly logger: Logger;
  readonly env: Env;
  readonly cwd: string;
  /** Registrations in each sink's container (the audit settings token, for example). */
  readonly services?: (logger: Logger) => ReadonlyMap<symbol, unknown>;
}

export async function openAuditSinks(options: AuditSinkOptions): Promise<PluginSet> {
  const { project } = options;
  const records = await discoverPlugins({
    cwd: options.cwd,
    projectPluginsDir: resolve(project.root, project.siteConfig.paths.plugins),
    pluginPath: options.env.MXCP_PLUGIN_PATH,
    packages: project.userConfig.plugins?.packages ?? [],
    packageBase: project.root,
  });
  const sinks = new PluginSet(records, options.logger.child({ component: 'audit' }));
  try {
    for (const record of sinks.recordsOf('audit-sink')) {
      await sinks.load({
        record,
        kind: 'audit-sink',
        config: configBlock(record, project.userConfig.plugins?.config),
        needs: {},
        ...(options.services ? { services: options.services } : {}),
      });
    }
    await sinks.ready({});
  } catch (err) {
    await sinks.close('failed-build');
    throw err;
  }
  return sinks;
}
