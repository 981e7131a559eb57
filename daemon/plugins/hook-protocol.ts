/** What the main thread and module-hooks.ts (on Node's hooks thread) agree on. Kept apart so the main thread never loads esbuild. */

export interface PluginHooksData {
  /** `file:` URL of the SDK entry (`dist/sdk/index.js`). */
  readonly sdkUrl: string;
}

/** Query parameter that tags a plugin's modules with the folder and a stamp of its files (see module-hooks.ts). */
export const kPluginQuery = 'mxcp-plugin';
