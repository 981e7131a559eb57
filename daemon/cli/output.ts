/**
 * CLI output conventions (MXCP's): `--json-output` prints `{"status":"ok","result":...}` or
 * `{"status":"error","error":"..."}` on stdout; human mode prints to stdout and errors as `Error: ...` on
 * stderr. Colour only on a terminal (and never with NO_COLOR).
 */
import { styleText } from 'node:util';
import { isMxcpError, type MxcpError } from '../../sdk/errors/index.js';

export type Style = 'green' | 'red' | 'yellow' | 'cyan' | 'bold' | 'dim';

export class Output {
  readonly json: boolean;
  readonly debug: boolean;
  private readonly color: boolean;

  constructor(
    opts: { json?: boolean; debug?: boolean },
    private readonly stdout = process.stdout,
    private readonly stderr = process.stderr,
  ) {
    this.json = opts.json ?? false;
    this.debug = opts.debug ?? false;
    this.color = Boolean(stdout.isTTY) && !process.env.NO_COLOR;
  }

  style(s: Style, text: string): string {
    return this.color ? styleText(s, text) : text;
  }

  line(text = ''): void {
    this.stdout.write(`${text}\n`);
  }

  ok(result: unknown): void {
    this.stdout.write(`${JSON.stringify({ status: 'ok', result }, jsonReplacer, 2)}\n`);
  }

  /** Prints an error in the mode's form. The caller decides the exit code. */
  error(err: unknown): void {
    const message = errorText(err);
    if (this.json) {
      const body: Record<string, unknown> = { status: 'error', error: message };
      if (isMxcpError(err)) {
        body.code = err.code;
        if (err.location) body.location = err.location;
        if (err.details.length > 1) body.details = err.details;
      }
      if (this.debug && err instanceof Error) body.traceback = err.stack;
      this.stdout.write(`${JSON.stringify(body, jsonReplacer, 2)}\n`);
      return;
    }
    this.stderr.write(`${this.style('red', 'Error:')} ${message}\n`);
    if (isMxcpError(err) && err.details.length > 1) for (const d of err.details) this.stderr.write(`  - ${d}\n`);
    if (this.debug && err instanceof Error && err.stack) this.stderr.write(`Traceback:\n${err.stack}\n`);
  }

  table(headers: readonly string[], rows: readonly (readonly string[])[]): void {
    const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
    const fmt = (cells: readonly string[]) =>
      cells
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd();
    this.line(this.style('bold', fmt(headers)));
    for (const r of rows) this.line(fmt(r));
  }
}

/** `file:line:col: message (CODE)` for coded errors; the message alone otherwise. */
export function errorText(err: unknown): string {
  if (isMxcpError(err)) return `${(err as MxcpError).located ?? err.message} (${err.code})`;
  if (err instanceof Error) return err.message;
  return String(err);
}

/** JSON.stringify must never throw on a result: BigInt becomes a number when safe, else a string. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(value) : value.toString();
  }
  return value;
}
