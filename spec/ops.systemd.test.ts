/**
 * The systemd kit (config/systemd/, issue 9): every unit passes `systemd-analyze verify` (with ExecStart
 * pointed at the built `mxcp`, since verify insists the binary exists), and the daemon runs exactly as the
 * units run it: the same ExecStart arguments and Environment, probed as an operator would (`curl -f
 * /health`), reloaded with the unit's ExecReload signal and stopped with its KillSignal. The log-cleanup
 * service's command exits 0, as its timer relies on. Running as the `mxcp` user needs root-owned paths and
 * is left to scripts/install-systemd.sh (its --dry-run is checked here).
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { kBin, runCli } from './support/cli.js';
import type { TempProject } from './support/project.js';
import { freePort, serveProject } from './support/serve-daemon.js';

const kDir = fileURLToPath(new URL('../config/systemd/', import.meta.url));
const kUnits = ['mxcp.service', 'mxcp@.service', 'mxcp-log-cleanup.service', 'mxcp-log-cleanup.timer'];
const kAnalyze = ['/usr/bin/systemd-analyze', '/bin/systemd-analyze'].find((p) => existsSync(p));

let project: TempProject | undefined;
let tmp: string | undefined;
afterEach(() => {
  project?.remove();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
  project = tmp = undefined;
});

/** `Key=value` lines of a unit's [Service] section (repeatable keys collected). */
function serviceKeys(unit: string): Map<string, string[]> {
  const text = readFileSync(join(kDir, unit), 'utf8');
  const section = text.split(/^\[Service\]$/m)[1]?.split(/^\[/m)[0] ?? '';
  const keys = new Map<string, string[]>();
  for (const line of section.split('\n')) {
    const m = /^([A-Za-z]+)=(.*)$/.exec(line.trim());
    if (m) keys.set(m[1]!, [...(keys.get(m[1]!) ?? []), m[2]!]);
  }
  return keys;
}

describe('config/systemd units', () => {
  it.each(kUnits)('%s passes systemd-analyze verify', (unit) => {
    expect(kAnalyze, 'systemd-analyze (Debian package systemd; .ci/run installs it)').toBeDefined();
    tmp = mkdtempSync(join(tmpdir(), 'mxcp-units-'));
    for (const u of kUnits) {
      const name = u === 'mxcp@.service' ? 'mxcp@dev.service' : u;
      writeFileSync(join(tmp, name), readFileSync(join(kDir, u), 'utf8').replaceAll('/usr/local/bin/mxcp', kBin));
    }
    const target = join(tmp, unit === 'mxcp@.service' ? 'mxcp@dev.service' : unit);
    // verify prints problems on stderr and exits non-zero for fatal ones; both must be clean.
    const out = execFileSync(kAnalyze as string, ['verify', target], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], cwd: tmp });
    expect(out).toBe('');
  });

  it('mxcp.service is Type=notify with the guide hardening, ReadWritePaths and limits', () => {
    const k = serviceKeys('mxcp.service');
    expect(k.get('Type')).toEqual(['notify']);
    for (const key of ['NoNewPrivileges', 'PrivateTmp']) expect(k.get(key)).toEqual(['true']);
    expect(k.get('ProtectSystem')).toEqual(['strict']);
    expect(k.get('ReadWritePaths')?.[0]).toContain('/opt/mxcp/audit');
    expect(k.get('MemoryMax')).toEqual(['2G']);
    expect(k.get('ExecReload')).toEqual(['/bin/kill -HUP $MAINPID']);
  });

  it('runs the daemon with the unit ExecStart and Environment; /health answers; ExecReload and KillSignal behave', {
    timeout: 60_000,
  }, async () => {
    const k = serviceKeys('mxcp.service');
    const port = await freePort();
    const [, ...args] = (k.get('ExecStart')?.[0] ?? '').split(/\s+/);
    project = serveProject();
    const configPath = project.write('../etc/config.yml', 'mxcp: 1\n');
    const env: Record<string, string> = { ...(process.env as Record<string, string>), HOME: project.home, UV_THREADPOOL_SIZE: '16' };
    for (const e of k.get('Environment') ?? []) {
      const m = /^"?([A-Z_]+)=(.*?)"?$/.exec(e);
      if (m) env[m[1]!] = m[1] === 'MXCP_CONFIG_PATH' ? configPath : m[1] === 'PATH' ? `${m[2]}:${process.env.PATH}` : m[2]!;
    }
    // Same arguments, but a free port instead of 8000 (the host stays 0.0.0.0, as in production).
    const argv = args.map((a) => (a === '8000' ? String(port) : a));
    expect(argv).toEqual(['serve', '--transport', 'http', '--host', '0.0.0.0', '--port', String(port)]);
    const child = spawn(process.execPath, [kBin, ...argv], { cwd: project.root, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    try {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const ok = await fetch(`http://127.0.0.1:${port}/health`).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) break;
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`not healthy: ${stderr}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      // `curl -f http://localhost:8000/health`, as the guide's monitoring does.
      expect(execFileSync('curl', ['-sf', `http://localhost:${port}/health`], { encoding: 'utf8' })).toContain('ok');
      child.kill('SIGHUP'); // ExecReload
      await new Promise((r) => setTimeout(r, 1500));
      expect((await fetch(`http://127.0.0.1:${port}/ready`)).status).toBe(200);
      const code = await new Promise<number | null>((resolve) => {
        child.once('exit', resolve);
        child.kill('SIGTERM'); // KillSignal
      });
      expect(code).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it("mxcp-log-cleanup.service's command exits 0 on a project with audit, as the timer relies on", async () => {
    const k = serviceKeys('mxcp-log-cleanup.service');
    const [, ...args] = (k.get('ExecStart')?.[0] ?? '').split(/\s+/);
    project = serveProject({
      'mxcp-site.yml':
        'mxcp: 1\nproject: serve-demo\nprofile: dev\nprofiles:\n  dev:\n    audit:\n      enabled: true\n      path: audit/a.jsonl\n',
      'audit/a.jsonl': '',
    });
    const r = await runCli(args, { cwd: project.root, home: project.home });
    expect(args).toEqual(['log-cleanup']);
    expect(r.code, r.stderr).toBe(0);
  });

  it('scripts/install-systemd.sh --dry-run lays out the user, folders, 0600 files and units of the guide', () => {
    const out = execFileSync('bash', [fileURLToPath(new URL('../scripts/install-systemd.sh', import.meta.url)), '--dry-run'], {
      encoding: 'utf8',
    });
    expect(out).toContain('mkdir -p /opt/mxcp/data /opt/mxcp/audit /opt/mxcp/drift /opt/mxcp/logs /etc/mxcp');
    expect(out).toContain('chown -R mxcp:mxcp /opt/mxcp');
    expect(out).toMatch(/install -m 0600 -o mxcp -g mxcp .* \/etc\/mxcp\/environment/);
    for (const unit of kUnits) expect(out).toContain(`/etc/systemd/system/${unit}`);
    expect(out).toContain('systemctl enable mxcp.service mxcp-log-cleanup.timer');
  });
});
