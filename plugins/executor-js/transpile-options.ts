/** How endpoint TypeScript is transpiled, wherever it is (main thread ahead of time, or a worker's hooks). */
import type { TransformOptions } from 'esbuild';

export function transpileOptions(sourcefile: string): TransformOptions {
  // Types stripped, enums and namespaces compiled; an inline source map so stack traces show .ts lines.
  return { loader: 'ts', format: 'esm', target: 'node20', sourcefile, sourcemap: 'inline', sourcesContent: false };
}
