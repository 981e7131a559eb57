/**
 * CLI output conventions (MXCP's): `--json-output` prints `{"status":"ok","result":...}` or
 * `{"status":"error","error":"..."}` on stdout; human mode prints to stdout and errors as `Error: ...` on
 * stderr. Colour only on a terminal (and never with NO_COLOR).
 */
import { styleText } from 'node:util';
import { describeError, isMxcpError } from '../../sdk/errors/index.js';

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
    guardClosedPipe(stdout);
    guardClosedPipe(stderr);
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
      if (this.debug && err instanceof Error) body.traceback = stackOf(err);
      this.stdout.write(`${JSON.stringify(body, jsonReplacer, 2)}\n`);
      return;
    }
    this.stderr.write(`${this.style('red', 'Error:')} ${message}\n`);
    if (isMxcpError(err) && err.details.length > 1) for (const d of err.details) this.stderr.write(`  - ${d}\n`);
    if (this.debug && err instanceof Error) this.stderr.write(`Traceback:\n${stackOf(err)}\n`);
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

const kGuarded = new WeakSet<NodeJS.WritableStream>();

/**
 * `mxcp validate | head` closes the pipe early; the next write then fails with EPIPE, which would crash
 * the process with a stack trace. The reader has all it wanted: drop the rest of the output and let the
 * command finish, so its exit code still tells whether everything was valid.
 */
function guardClosedPipe(stream: NodeJS.WritableStream): void {
  if (kGuarded.has(stream)) return;
  kGuarded.add(stream);
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE' && err.code !== 'ERR_STREAM_DESTROYED') throw err;
  });
}

/** The stack of an error and of each error in its `cause` chain (where the real failure usually is). */
function stackOf(err: Error): string {
  const parts: string[] = [];
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    parts.push(depth === 0 ? (e.stack ?? e.message) : `Caused by: ${e.stack ?? e.message}`);
  }
  return parts.join('\n');
}

/** `file:line:col: message (CODE)` for coded errors; the message alone otherwise. */
export const errorText = describeError;

/** JSON.stringify must never throw on a result: BigInt becomes a number when safe, else a string. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(value) : value.toString();
  }
  return value;
}
