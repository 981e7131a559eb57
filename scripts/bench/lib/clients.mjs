// Load generators for the serve benchmark, each in its own process so that its CPU is counted apart from
// the server's: autocannon (the issue's tool, Node) and wrk (C, Debian's package). Both POST one JSON-RPC
// body per request, cycling through `bodies`, at a fixed concurrency for a fixed time over keep-alive
// connections, and count as errors any non-200 answer or a body carrying `"isError":true` / `"error"`.
//
// Each returns { requests, errors, rps, p50, p99 (ms), clientUs } where clientUs is the load generator's
// own CPU (user + system) per request: on a 2-core machine that CPU is taken from the server under test.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const kRoot = fileURLToPath(new URL('../../../', import.meta.url));
const kAutocannonVersion = '8.0.0';

function run(cmd, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} exited ${code}: ${err.slice(-2000)}`))));
  });
}

/** autocannon, npm-installed beside the project on first use (a bench tool, never a dependency). */
export function autocannonEntry() {
  const prefix = join(kRoot, '.tools/autocannon');
  const entry = join(prefix, 'node_modules/autocannon/autocannon.js');
  if (!existsSync(entry)) {
    execFileSync(
      'npm',
      ['install', '--prefix', prefix, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', `autocannon@${kAutocannonVersion}`],
      {
        stdio: 'ignore',
      },
    );
  }
  return entry;
}

/** wrk from Debian's package, installed when missing and this is root; undefined when it cannot be had. */
export function wrkBinary() {
  const have = () => {
    try {
      return execFileSync('sh', ['-c', 'command -v wrk'], { encoding: 'utf8' }).trim() || undefined;
    } catch {
      return undefined;
    }
  };
  const found = have();
  if (found) return found;
  if (process.getuid?.() !== 0) return undefined;
  try {
    execFileSync('sh', ['-c', 'apt-get install -y -qq wrk >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq wrk)'], {
      stdio: 'ignore',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  } catch {
    return undefined;
  }
  return have();
}

const kWorker = fileURLToPath(new URL('./autocannon-worker.mjs', import.meta.url));

export async function autocannonLoad({ url, headers, bodies, concurrency, seconds }) {
  const dir = mkdtempSync(join(tmpdir(), 'mxcp-bench-ac-'));
  try {
    const spec = join(dir, 'spec.json');
    writeFileSync(spec, JSON.stringify({ entry: autocannonEntry(), url, headers, bodies, concurrency, seconds }));
    return JSON.parse(await run(process.execPath, [kWorker, spec]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const luaString = (s) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

export async function wrkLoad({ url, headers, bodies, concurrency, seconds, wrk = wrkBinary() }) {
  if (!wrk) throw new Error('wrk is not installed (apt-get install wrk)');
  const dir = mkdtempSync(join(tmpdir(), 'mxcp-bench-wrk-'));
  try {
    const script = join(dir, 'load.lua');
    const report = join(dir, 'report.txt');
    const h = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers };
    writeFileSync(
      script,
      `wrk.method = "POST"
${Object.entries(h)
  .map(([k, v]) => `wrk.headers[${luaString(k)}] = ${luaString(String(v))}`)
  .join('\n')}
local bodies = { ${bodies.map(luaString).join(',\n')} }
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) n = 0; errors = 0 end
function request()
  n = n + 1
  return wrk.format(nil, nil, nil, bodies[(n % #bodies) + 1])
end
function response(status, headers, body)
  if status ~= 200 or string.find(body, '"isError":true', 1, true) or string.find(body, '"error":', 1, true) then errors = errors + 1 end
end
function done(summary, latency, requests)
  local e = 0
  for _, t in ipairs(threads) do e = e + t:get("errors") end
  local f = io.open(${luaString(report)}, "w")
  -- status errors are counted by response() already
  f:write(string.format("%d %d %d %f %f %d\\n", summary.requests, e, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.duration))
  f:close()
end
`,
    );
    // The shell's cutime/cstime, read after wrk exits, are wrk's own CPU (clock ticks, 100 per second).
    const out = await run('sh', [
      '-c',
      `"$0" -t1 -c${concurrency} -d${seconds}s --timeout 20s -s "$1" "$2" >/dev/null && cut -d' ' -f16,17 /proc/$$/stat`,
      wrk,
      script,
      url,
    ]);
    const [cutime, cstime] = out.trim().split(' ').map(Number);
    const [requests, errors, socketErrors, p50, p99, durationUs] = readFileSync(report, 'utf8').trim().split(' ').map(Number);
    const ok = requests - errors;
    return {
      requests: ok,
      errors: errors + socketErrors,
      rps: ok / (durationUs / 1e6),
      p50,
      p99,
      clientUs: (((cutime + cstime) / 100) * 1e6) / Math.max(1, requests),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
