#!/usr/bin/env node
/**
 * The `mxcp` executable. scripts/postbuild.mjs replaces the line above in dist/ with a two-line header
 * that is both shell and JavaScript: run as a program, `sh` sizes libuv's thread pool and then `exec`s
 * node on this same file (same PID, no fork), so `pgrep -f "mxcp serve"` and `kill -HUP` reach the daemon
 * itself. The pool size must be in the environment before node starts: every DuckDB query occupies one
 * libuv thread, and the default of 4 would cap the daemon at 4 concurrent queries.
 */
import { CommanderError } from 'commander';
import { createProgram } from './program.js';

const program = await createProgram(process.argv);
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
