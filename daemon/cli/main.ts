#!/usr/bin/env node
/**
 * The `mxcp` executable. Runs the command in this process (no wrapper that forks), so `pgrep -f "mxcp
 * serve"` and `kill -HUP` reach the daemon itself.
 */
import { CommanderError } from 'commander';
import { createProgram } from './program.js';

const program = createProgram();
program.exitOverride();
try {
  await program.parseAsync(process.argv);
  if (process.argv.length <= 2) program.outputHelp();
} catch (err) {
  if (err instanceof CommanderError) {
    // Help and version are successes; every other parse failure is a usage error (exit 2, like click).
    const benign = ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(err.code);
    process.exitCode = benign ? 0 : 2;
  } else {
    process.stderr.write(`Error: ${(err as Error).message}\n`);
    process.exitCode = 1;
  }
}
