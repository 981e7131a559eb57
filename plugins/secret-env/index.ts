import type { ResolveContext, SecretBackend } from '../../sdk/secret-backend.js';

const kPattern = /\$\{([A-Za-z0-9_]+)\}/g;

/** `${NAME}` anywhere in a string, several per string, no default syntax (as MXCP). */
export class EnvSecretBackend implements SecretBackend {
  readonly name = 'env';
  readonly mode = 'inline' as const;

  matches(value: string): boolean {
    kPattern.lastIndex = 0;
    return kPattern.test(value);
  }

  async resolve(value: string, ctx: ResolveContext): Promise<string> {
    const missing: string[] = [];
    const out = value.replace(kPattern, (_m, name: string) => {
      const v = ctx.env[name];
      if (v === undefined) {
        missing.push(name);
        return '';
      }
      return v;
    });
    if (missing.length > 0) {
      throw new Error(missing.map((n) => `Environment variable ${n} is not set`).join('; '));
    }
    return out;
  }
}

export default function createBackend(): SecretBackend {
  return new EnvSecretBackend();
}
