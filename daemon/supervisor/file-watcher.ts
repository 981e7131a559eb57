/**
 * `serve --watch` (or the user config's `reload.watch: true`): file changes trigger the same reload as
 * SIGHUP, debounced (`reload.debounce`, default 250 ms) so that an editor's save or a `git checkout` of
 * many files makes one reload. Watched: both config files and the folders endpoints come from (tools,
 * resources, prompts, sql, the TypeScript/Python code folder, plugins); never data, audit or drift output,
 * which the daemon itself writes.
 */
import { join } from 'node:path';
import type { ProjectConfig } from '../config/project.js';
import type { Logger } from '../logging/logger.js';

export interface FileWatcher {
  close(): Promise<void>;
}

export function watchedPaths(project: ProjectConfig, userConfigPath: string | undefined): string[] {
  const p = project.siteConfig.paths;
  const folders = [p.tools, p.resources, p.prompts, p.sql, p.python, p.plugins, 'ts'].map((f) => join(project.root, f));
  return [join(project.root, 'mxcp-site.yml'), ...(userConfigPath ? [userConfigPath] : []), ...new Set(folders)];
}

export async function watchForReload(
  paths: readonly string[],
  debounceMs: number,
  trigger: (reason: string) => void,
  log: Logger,
): Promise<FileWatcher> {
  const { watch } = await import('chokidar');
  const watcher = watch([...paths], {
    ignoreInitial: true,
    ignored: (path) => /(^|[/\\])(node_modules|\.git|__pycache__)([/\\]|$)/.test(path),
  });
  let timer: NodeJS.Timeout | undefined;
  const changed = new Set<string>();
  watcher.on('all', (event, path) => {
    changed.add(path);
    clearTimeout(timer);
    timer = setTimeout(() => {
      const files = [...changed];
      changed.clear();
      log.info({ files: files.slice(0, 20), count: files.length }, 'files changed; reloading');
      trigger(`file change (${event} ${files[0]}${files.length > 1 ? ` and ${files.length - 1} more` : ''})`);
    }, debounceMs);
  });
  watcher.on('error', (err) => log.warn({ err: (err as Error).message }, 'file watcher error'));
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  log.info({ paths: paths.length }, 'watching project files for changes');
  return {
    close: async () => {
      clearTimeout(timer);
      await watcher.close();
    },
  };
}
