/** The read-only view of configuration that executors and endpoint code get (`config.getSecret` ...). */
import type { ConfigAccess } from '../../sdk/executor.js';
import type { ProjectConfig } from '../config/project.js';

export function createConfigAccess(project: ProjectConfig): ConfigAccess {
  const secrets = new Map(project.userProfile.secrets.map((s) => [s.name, s.parameters]));
  const site = project.siteConfig as unknown as Readonly<Record<string, unknown>>;
  return {
    // The active profile's secrets (MXCP looks under the site file's profile even with --profile; fixed).
    getSecret: (name) => secrets.get(name),
    getSetting(key, fallback) {
      let cur: unknown = site;
      for (const part of key.split('.')) {
        if (cur === null || typeof cur !== 'object' || !(part in (cur as object))) return fallback;
        cur = (cur as Record<string, unknown>)[part];
      }
      return cur;
    },
    siteConfig: site,
    userConfig: project.userConfig as unknown as Readonly<Record<string, unknown>>,
  };
}
