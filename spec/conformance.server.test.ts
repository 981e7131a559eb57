/**
 * The official MCP conformance suite's server scenarios against `mxcp serve` on the conformance fixture
 * project (spec/fixtures/conformance/project: the tools, resources and prompts the suite calls, as YAML with
 * SQL and TypeScript):
 *
 *   legacy-stateful    @modelcontextprotocol/conformance 0.1.16 `server --suite active`, sessions
 *   legacy-stateless   the same against `serve --stateless`
 *   modern             0.2.0-alpha.12 `server --spec-version 2026-07-28`
 *
 * Failures are compared with spec/conformance/server-expected-failures.json (each with its reason), which may
 * only shrink. The suites need Node 22 (spec/support/node22.ts).
 */
import { spawn } from 'node:child_process';
import { cpSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { type Baseline, type Check, compare, readChecks } from './support/conformance-baseline.js';
import { conformanceCli, node22 } from './support/node22.js';
import { type TempProject, tempProject } from './support/project.js';
import { type Daemon, startDaemon } from './support/serve-daemon.js';

const kFixture = fileURLToPath(new URL('./fixtures/conformance/project/', import.meta.url));
const kBaseline = JSON.parse(readFileSync(new URL('./conformance/server-expected-failures.json', import.meta.url), 'utf8')) as Baseline;

const projects: TempProject[] = [];
afterAll(() => {
  for (const p of projects) p.remove();
});

async function serve(args: string[]): Promise<{ daemon: Daemon; project: TempProject }> {
  const project = tempProject({}, { site: null });
  cpSync(kFixture, project.root, { recursive: true });
  projects.push(project);
  return { daemon: await startDaemon(project, args), project };
}

function suite(which: 'legacy' | 'next', args: string[]): Promise<string> {
  const child = spawn(node22(), [conformanceCli(which), 'server', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    output += d.toString();
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 240_000);
  return new Promise((resolve) =>
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(output);
    }),
  );
}

/** One run: its checks, each scenario prefixed with the run's label (the baseline's keys). */
async function run(
  label: string,
  which: 'legacy' | 'next',
  daemonArgs: string[],
  suiteArgs: string[],
): Promise<{ checks: Check[]; output: string }> {
  const { daemon, project } = await serve(daemonArgs);
  try {
    const out = project.path(`conformance-${label}`);
    const output = await suite(which, ['--url', `http://localhost:${daemon.port}/mcp`, ...suiteArgs, '-o', out]);
    return { checks: readChecks(out).map((c) => ({ ...c, scenario: `${label}/${c.scenario}` })), output };
  } finally {
    await daemon.stop('SIGKILL');
  }
}

describe('@modelcontextprotocol/conformance server scenarios', () => {
  for (const [label, which, daemonArgs, suiteArgs] of [
    ['legacy-stateful', 'legacy', [], ['--suite', 'active']],
    ['legacy-stateless', 'legacy', ['--stateless'], ['--suite', 'active']],
    ['modern', 'next', [], ['--spec-version', '2026-07-28']],
  ] as const) {
    it(`${label}: no failure outside the baseline`, async () => {
      const { checks, output } = await run(label, which, [...daemonArgs], [...suiteArgs]);
      expect(checks.length, output.slice(-2000)).toBeGreaterThan(20);
      const mine: Baseline = { expected: kBaseline.expected.filter((e) => e.scenario.startsWith(`${label}/`)) };
      const { regressions, stale } = compare(checks, mine);
      expect(regressions, 'new failures: fix them (the baseline may only shrink)').toEqual([]);
      expect(stale, 'baseline entries that now pass: delete them from spec/conformance/server-expected-failures.json').toEqual([]);
      // The core of MCP serving passes in every run.
      const passed = new Set(checks.filter((c) => c.status === 'SUCCESS').map((c) => c.id));
      for (const id of ['tools-list', 'tools-call-simple-text', 'tools-call-error', 'resources-read-text', 'prompts-get-with-args']) {
        expect(passed.has(id), `${label}: ${id}`).toBe(true);
      }
    });
  }
});
