/** Assertions on coded errors as the CLI prints them: `file:line:col: message (CODE)`. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { CliResult } from './cli.js';
import type { TempProject } from './project.js';

export interface Located {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
  readonly message: string;
  readonly code: string;
}

/** Splits `file:line:col: message (CODE)` (line and column optional) into its parts. */
export function parseLocated(text: string): Located {
  const m = /^(.+?)(?::(\d+))?(?::(\d+))?: (.*) \((MXCP_E_[A-Z0-9_]+)\)$/s.exec(text);
  if (!m) throw new Error(`not a located coded error: ${text}`);
  return {
    file: m[1] as string,
    line: m[2] === undefined ? undefined : Number(m[2]),
    column: m[3] === undefined ? undefined : Number(m[3]),
    message: m[4] as string,
    code: m[5] as string,
  };
}

/** A stack frame line (`    at fn (file:1:2)`) anywhere in the output. */
export function expectNoStackTrace(r: CliResult): void {
  expect(r.stdout).not.toMatch(/\n\s+at .+:\d+:\d+/);
  expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  expect(r.stderr).not.toContain('Traceback');
}

export interface ExpectedError {
  readonly code: string;
  readonly file: string;
  /** Omitted when the error has no meaningful line (a file too large to read, say). */
  readonly line?: number;
  readonly message?: string | RegExp;
}

/** `--json-output` failure of a whole command: exit 1, `{status: "error", error, code, location}`, no stack. */
export function expectCommandError(r: CliResult, want: ExpectedError): void {
  expect(r.code, r.stderr || r.stdout).toBe(1);
  expectNoStackTrace(r);
  const body = r.json<{ status: string; error: string; code: string; location?: { file?: string; line?: number } }>();
  expect(body.status).toBe('error');
  expect(body.code).toBe(want.code);
  expect(body.location?.file).toBe(want.file);
  if (want.line !== undefined) expect(body.location?.line).toBe(want.line);
  const located = parseLocated(body.error);
  expect(located.code).toBe(want.code);
  expect(located.file).toBe(want.file);
  if (want.line !== undefined) expect(located.line).toBe(want.line);
  if (want.message !== undefined) expect(located.message).toMatch(want.message);
}

/** Same failure in human mode: `Error: file:line:col: message (CODE)` on stderr, exit 1, no stack. */
export function expectHumanError(r: CliResult, want: ExpectedError): void {
  expect(r.code, r.stderr || r.stdout).toBe(1);
  expectNoStackTrace(r);
  const first = r.stderr.split('\n').find((l) => l.startsWith('Error: '));
  expect(first, r.stderr).toBeDefined();
  const located = parseLocated((first as string).slice('Error: '.length));
  expect(located.code).toBe(want.code);
  expect(located.file).toBe(want.file);
  if (want.line !== undefined) expect(located.line).toBe(want.line);
}

/** Writes the user config where `~/.mxcp/config.yml` is for the project's fake home. */
export function writeUserConfig(project: TempProject, content: string | Buffer): string {
  const dir = join(project.home, '.mxcp');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'config.yml');
  writeFileSync(path, content);
  return path;
}
