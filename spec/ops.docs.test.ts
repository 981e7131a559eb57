/**
 * docs/operations.md is executable: every ```bash block runs, in order, in one sandbox (a copy of the example
 * project, seeded as the README's quick start does; `mxcp` on PATH is this build; port 8000 replaced by a free
 * one), and must exit 0. Blocks whose first line is `# needs: <reason>` (root-owned paths, systemd, docker, a
 * cluster) are not run here; for them the test checks that every repository file they name exists (what they
 * install is exercised by the ops.systemd / ops.container / ops.nginx specs).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { kBin } from './support/cli.js';
import { freePort } from './support/serve-daemon.js';

const kRoot = fileURLToPath(new URL('..', import.meta.url));
const kDoc = readFileSync(join(kRoot, 'docs/operations.md'), 'utf8');

interface Block {
  readonly heading: string;
  readonly line: number;
  readonly code: string;
  readonly needs: string | undefined;
}

function bashBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  let heading = '';
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.startsWith('#')) heading = line.replace(/^#+\s*/, '');
    if (line.trim() !== '```bash') continue;
    const start = i + 1;
    const body: string[] = [];
    for (i = start; i < lines.length && lines[i] !== '```'; i++) body.push(lines[i] as string);
    const needs = /^# needs: (.+)$/.exec(body[0] ?? '')?.[1];
    blocks.push({ heading, line: start, code: body.join('\n'), needs });
  }
  return blocks;
}

const blocks = bashBlocks(kDoc);
const base = mkdtempSync(join(tmpdir(), 'mxcp-ops-docs-'));
const project = join(base, 'project');
const home = join(base, 'home');
const bin = join(base, 'bin');
let port = 0;

afterAll(() => {
  const pidFile = join(project, 'mxcp.pid');
  if (existsSync(pidFile)) {
    try {
      process.kill(Number(readFileSync(pidFile, 'utf8').trim()), 'SIGKILL');
    } catch {
      // already gone: the doc's last block stops it
    }
  }
  rmSync(base, { recursive: true, force: true });
});

describe('docs/operations.md: every shell command runs as written', () => {
  it('has runnable blocks and says why the others cannot run here', () => {
    expect(blocks.filter((b) => !b.needs).length).toBeGreaterThanOrEqual(12);
    for (const b of blocks.filter((x) => x.needs)) expect(b.needs).toMatch(/root|docker|cluster|systemd/);
  });

  it('sandbox: the example project, seeded; mxcp on PATH', async () => {
    cpSync(join(kRoot, 'examples/quickstart'), project, { recursive: true });
    rmSync(join(project, 'data'), { recursive: true, force: true });
    rmSync(join(project, 'audit'), { recursive: true, force: true });
    mkdirSync(home);
    mkdirSync(bin);
    writeFileSync(join(bin, 'mxcp'), `#!/bin/sh\nexec "${process.execPath}" "${kBin}" "$@"\n`);
    chmodSync(join(bin, 'mxcp'), 0o755);
    execFileSync(process.execPath, [kBin, 'query', '--file', 'seed/seed.sql'], {
      cwd: project,
      env: { ...process.env, HOME: home },
      stdio: 'ignore',
    });
    port = await freePort();
  });

  for (const block of blocks) {
    if (block.needs) {
      it(`[not run: needs ${block.needs}] ${block.heading} (line ${block.line}): the files it uses exist`, () => {
        const paths = [...block.code.matchAll(/(?:^|\s)((?:config|scripts)\/[\w./-]+)/g)].map((m) => m[1] as string);
        for (const p of paths) expect(existsSync(join(kRoot, p)), p).toBe(true);
      });
      continue;
    }
    it(`${block.heading} (docs/operations.md line ${block.line})`, { timeout: 120_000 }, () => {
      const script = block.code.replaceAll('8000', String(port));
      const env: Record<string, string> = { PATH: `${bin}:${process.env.PATH ?? ''}`, HOME: home, NO_COLOR: '1', LANG: 'C.UTF-8' };
      const r = spawnSync('bash', ['-e', '-o', 'pipefail', '-c', script], { cwd: project, env, encoding: 'utf8', timeout: 110_000 });
      const log = existsSync(join(project, 'mxcp.log')) ? readFileSync(join(project, 'mxcp.log'), 'utf8').slice(-2000) : '';
      expect(r.status, `exit ${r.status}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}\n--- mxcp.log\n${log}`).toBe(0);
    });
  }
});
