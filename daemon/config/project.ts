/**
 * Everything a command or a generation needs from the two configuration files, loaded together: the
 * project root, the site config with its active profile, and the user config for that project/profile.
 */
import type { SecretBackend } from '../../sdk/secret-backend.js';
import type { Logger } from '../logging/logger.js';
import type { Env } from './env.js';
import { requireProjectRoot } from './project-root.js';
import type { ResolvedValue } from './references.js';
import { loadSecretBackends } from './secret-backends.js';
import { type ActiveProfile, type LoadedSite, loadSiteConfig } from './site-config.js';
import type { SiteConfig, UserConfig, UserProfile } from './types.js';
import { type LoadedUser, loadUserConfig, userProfile } from './user-config.js';

export interface ProjectConfig {
  readonly root: string;
  readonly site: LoadedSite;
  readonly user: LoadedUser;
  readonly siteConfig: Readonly<SiteConfig>;
  readonly userConfig: Readonly<UserConfig>;
  readonly profile: ActiveProfile;
  readonly userProfile: Readonly<UserProfile>;
  /** Every value a reference resolved to (for redaction in logs and audit records). */
  readonly resolved: readonly ResolvedValue[];
}

export interface LoadProjectOptions {
  readonly cwd: string;
  readonly env: Env;
  readonly profile?: string;
  readonly home?: string;
  /** Defaults to the discovered secret-backend plugins, which live for this load only. */
  readonly backends?: readonly SecretBackend[];
  /** For the plugins' logs; defaults to one at the environment's level. */
  readonly logger?: Logger;
  /** Skip the root search (a generation rebuild already knows it). */
  readonly root?: string;
}

export async function loadProject(options: LoadProjectOptions): Promise<ProjectConfig> {
  const root = options.root ?? requireProjectRoot(options.cwd);
  // Discovered backends are plugins with a lifecycle: opened for this load, closed when it is over.
  const session = options.backends
    ? undefined
    : await loadSecretBackends({ root, cwd: options.cwd, env: options.env, home: options.home, logger: options.logger });
  const backends = options.backends ?? session?.backends ?? [];
  try {
    return await loadWith(root, options, backends, session);
  } finally {
    await session?.close();
  }
}

async function loadWith(
  root: string,
  options: LoadProjectOptions,
  backends: readonly SecretBackend[],
  session: { ready(): Promise<void> } | undefined,
): Promise<ProjectConfig> {
  const site = await loadSiteConfig({ root, profile: options.profile, env: options.env, cwd: options.cwd, backends });
  const user = await loadUserConfig({
    env: options.env,
    cwd: options.cwd,
    home: options.home,
    project: site.config.project,
    profile: site.profile.name,
    backends,
  });
  await session?.ready();
  return {
    root,
    site,
    user,
    siteConfig: site.config,
    userConfig: user.config,
    profile: site.profile,
    userProfile: userProfile(user.config, site.config.project, site.profile.name),
    resolved: [...site.resolved, ...user.resolved],
  };
}
