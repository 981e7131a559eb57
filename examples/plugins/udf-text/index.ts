/**
 * A udf plugin. With, in mxcp-site.yml,
 *
 *   plugin:
 *     - name: txt
 *       module: udf-text            # the folder name, or the package name @mxcp-examples/udf-text
 *       config: text                # user config: profiles.<p>.plugin.config.text: {greeting: "Bonjour"}
 *
 * SQL gets greet_txt(VARCHAR), reverse_txt(VARCHAR) and words_txt(VARCHAR) → INTEGER.
 */
import { definePlugin, injectable, kPluginConfig, kPluginLogger, type PluginLogger, type UdfPlugin } from 'mxcp/sdk';

interface TextConfig {
  readonly greeting: string;
}

// The container passes what each token resolves to, in constructor order (explicit tokens, no metadata).
@injectable(kPluginConfig, kPluginLogger)
class TextFunctions implements UdfPlugin {
  readonly functions = {
    greet: { parameters: ['VARCHAR'], returns: 'VARCHAR' },
    reverse: { parameters: ['VARCHAR'], returns: 'VARCHAR' },
    words: { parameters: ['VARCHAR'], returns: 'INTEGER' },
  };

  constructor(
    private readonly config: TextConfig,
    private readonly logger: PluginLogger,
  ) {}

  init(): void {
    this.logger.debug({ functions: Object.keys(this.functions) }, 'text functions ready');
  }

  // Methods are called synchronously for every row; NULL arrives as null.
  greet(name: string | null): string | null {
    return name === null ? null : `${this.config.greeting} ${name}`;
  }

  reverse(text: string | null): string | null {
    return text === null ? null : [...text].reverse().join('');
  }

  words(text: string | null): number | null {
    return text === null ? null : text.split(/\s+/).filter((w) => w !== '').length;
  }
}

export default definePlugin({ kind: 'udf', useClass: TextFunctions });
