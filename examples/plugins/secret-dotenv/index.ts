/**
 * A secret backend for `dotenv://KEY`: the value of KEY in a `.env` file (KEY=value lines, `#` comments,
 * optional quotes). The file is read once per configuration load, so a reload picks up edits.
 */
import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { definePlugin, type PluginLogger, type ResolveContext, type SecretBackend } from 'mxcp/sdk';
import { parseDotenv } from './parse.js';

interface DotenvConfig {
  readonly file: string;
}

class DotenvBackend implements SecretBackend {
  readonly name = 'dotenv';
  readonly mode = 'whole' as const;
  #values: Promise<Map<string, string>> | undefined;

  constructor(
    private readonly config: DotenvConfig,
    private readonly logger: PluginLogger,
  ) {}

  matches(value: string): boolean {
    return value.startsWith('dotenv://');
  }

  async resolve(value: string, ctx: ResolveContext): Promise<string> {
    const key = value.slice('dotenv://'.length);
    const file = isAbsolute(this.config.file) ? this.config.file : resolve(ctx.cwd, this.config.file);
    this.#values ??= readFile(file, 'utf8').then(parseDotenv, () => {
      throw new Error(`dotenv file not readable: ${file}`);
    });
    const values = await this.#values;
    const found = values.get(key);
    // Never put the value in a message or a log line: only the key and the file.
    if (found === undefined) throw new Error(`Key ${key} not found in ${file}`);
    this.logger.debug({ key, file }, 'dotenv reference resolved');
    return found;
  }
}

export default definePlugin<'secret-backend', DotenvConfig>({
  kind: 'secret-backend',
  create: ({ config, logger }) => new DotenvBackend(config, logger),
});
