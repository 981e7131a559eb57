/** Runs the built `mxcp` bin as a child process, the way operators and CI run it. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const kBin = join(fileURLToPath(new URL('../..', import.meta.url)), 'dist', 'daemon', 'cli', 'main.js');

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout parsed as JSON (throws if it is not). */
  json<T = { status: string; result?: unknown; error?: string; code?: string }>(): T;
}

export interface CliOptions {
  readonly cwd: string;
  /** Replaces HOME; the project helper provides an empty one. */
  readonly home?: string;
  readonly env?: Record<string, string | undefined>;
  readonly input?: string;
  readonly timeoutMs?: number;
}

/** Environment variables that would leak the developer's setup into a spec. */
const kScrubbed = [
  'MXCP_CONFIG',
  'MXCP_CONFIG_PATH',
  'MXCP_PROFILE',
  'MXCP_DUCKDB_PATH',
  'MXCP_AUDIT_ENABLED',
  'MXCP_READONLY',
  'MXCP_DEBUG',
  'MXCP_LOG_LEVEL',
];

export function runCli(args: readonly string[], opts: CliOptions): Promise<CliResult> {
  // The bin's shell header sets UV_THREADPOOL_SIZE; specs start node on it directly, so set it here.
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', UV_THREADPOOL_SIZE: '16' };
  for (const k of kScrubbed) delete env[k];
  if (opts.home) env.HOME = opts.home;
  Object.assign(env, opts.env ?? {});
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [kBin, ...args], { cwd: opts.cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`mxcp ${args.join(' ')} timed out; stderr: ${stderr}`));
    }, opts.timeoutMs ?? 20_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({
        code,
        stdout,
        stderr,
        json<T>() {
          try {
            return JSON.parse(stdout) as T;
          } catch {
            throw new Error(`stdout is not JSON:\n${stdout}\nstderr:\n${stderr}`);
          }
        },
      });
    });
    child.stdin.end(opts.input ?? '');
  });
}
