/**
 * `import()` through Node's own ESM loader, so the module hooks (module-hooks.ts) apply and a module is
 * evaluated once per URL.
 *
 * Compiled by tsc, a plain `import(url)` is exactly that. Under vitest, daemon sources run in a vm context
 * whose `import()` is rewritten to the test runner's loader, which bypasses Node's hooks and would evaluate
 * a plugin a second way; there the call goes through a script compiled with Node's main-context loader.
 */
import { constants, Script } from 'node:vm';

type Importer = (url: string) => Promise<Record<string, unknown>>;

const underTestRunner = '__vitest_worker__' in globalThis;

export const importNative: Importer = underTestRunner
  ? (new Script('(url) => import(url)', {
      importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
    }).runInThisContext() as Importer)
  : (url) => import(url);
