/**
 * Config and endpoint YAML fuzzing (fixed seeds; scripts/fuzz/yaml.mjs runs longer): mutated site config,
 * user config and endpoint files (inserted YAML syntax, wrong types, aliases, tags, references, bytes that
 * are not UTF-8, truncation, swapped and re-indented lines).
 * - In process, what `mxcp validate` does: every outcome is success or a coded MXCP_E_* error, never a crash.
 * - Against a running daemon, each mutation applied and SIGHUP sent: a reload either swaps in exactly the
 *   endpoints the files define, or fails with a coded error and keeps the old generation whole.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { loadProject } from '../daemon/config/project.js';
import { builtinExecutorLanguages } from '../daemon/registry/languages.js';
import { buildRegistry } from '../daemon/registry/registry.js';
// @ts-expect-error: a plain ESM script shared with scripts/fuzz/yaml.mjs, no type declarations.
import { applyMutation, mutations } from '../scripts/fuzz/yaml-mutations.mjs';
import { isMxcpError } from '../sdk/errors/index.js';
import { type TempProject, tempProject } from './support/project.js';
import { type Daemon, post, startDaemon } from './support/serve-daemon.js';

const kFixture = fileURLToPath(new URL('./fixtures/fuzz/project/', import.meta.url));
const kUserConfig = `mxcp: 1
projects:
  fuzz-target:
    profiles:
      dev:
        secrets:
          - name: api
            type: custom
            parameters:
              token: "\${FUZZ_TOKEN}"
transport:
  http:
    host: localhost
`;
const kTargets = [
  'mxcp-site.yml',
  'tools/echo.yml',
  'tools/add.yml',
  'tools/notify.yml',
  'resources/user.yml',
  'prompts/greet.yml',
  '~config',
];

type Mutation = [number, unknown[]];

let project: TempProject | undefined;
let daemon: Daemon | undefined;
afterEach(async () => {
  await daemon?.stop('SIGKILL');
  project?.remove();
  daemon = undefined;
  project = undefined;
});

function fuzzProject(): { project: TempProject; originals: Map<string, string>; pathOf(target: string): string } {
  const p = tempProject({}, { site: null });
  cpSync(kFixture, p.root, { recursive: true });
  const configPath = join(p.home, '.mxcp', 'config.yml');
  p.write('../home/.mxcp/config.yml', kUserConfig);
  const pathOf = (target: string) => (target === '~config' ? configPath : p.path(target));
  const originals = new Map(kTargets.map((t) => [t, readFileSync(pathOf(t), 'utf8')]));
  return { project: p, originals, pathOf };
}

const kEnv = { FUZZ_TOKEN: 'fuzz-secret' };

/** What `validate` would conclude: the endpoint names, or the coded error that stops the load. */
async function loadInProcess(root: string, home: string): Promise<{ tools: string[]; failed: number } | { code: string }> {
  try {
    const loaded = await loadProject({ cwd: root, env: { ...kEnv, HOME: home }, home });
    const registry = await buildRegistry({ root: loaded.root, paths: loaded.siteConfig.paths, languages: builtinExecutorLanguages() });
    for (const e of registry.failed)
      if (!isMxcpError(e.error)) throw new Error(`uncoded endpoint error in ${e.relPath}: ${String(e.error)}`);
    return { tools: [...registry.tools.keys()].sort(), failed: registry.failed.length };
  } catch (err) {
    if (!isMxcpError(err)) throw err;
    return { code: err.code };
  }
}

describe('YAML and config fuzzing', () => {
  it('600 mutated project files: validation ends in success or a coded error, never a crash', { timeout: 180_000 }, async () => {
    const fx = fuzzProject();
    project = fx.project;
    const outcomes: Record<string, number> = {};
    for (const [target, edits] of mutations(1124, 600, kTargets.length) as Mutation[]) {
      for (const [t, text] of fx.originals) writeFileSync(fx.pathOf(t), text);
      const name = kTargets[target]!;
      writeFileSync(fx.pathOf(name), applyMutation(fx.originals.get(name), edits));
      const r = await loadInProcess(project.root, project.home);
      const key = 'code' in r ? r.code : r.failed > 0 ? 'endpoint errors' : 'valid';
      outcomes[key] = (outcomes[key] ?? 0) + 1;
    }
    // The mutations must be varied enough to matter: some stay valid, many distinct codes come out.
    expect(outcomes.valid).toBeGreaterThan(20);
    expect(outcomes['endpoint errors']).toBeGreaterThan(20);
    expect(Object.keys(outcomes).length).toBeGreaterThan(6);
  });

  it('30 mutations reloaded into a running daemon: each reload is all or nothing', { timeout: 240_000 }, async () => {
    const fx = fuzzProject();
    project = fx.project;
    daemon = await startDaemon(project, ['--stateless'], { env: kEnv });
    const d = daemon;
    const rpc = async (method: string) => {
      const res = await post(`${d.base}/mcp`, JSON.stringify({ jsonrpc: '2.0', id: 1, method, params: {} }), {
        'mcp-protocol-version': '2025-11-25',
      });
      expect(res.status).toBe(200);
      return res.json() as { result: { tools: { name: string }[] } };
    };
    const served = async () => (await rpc('tools/list')).result.tools.map((t) => t.name).sort();
    const ready = async () =>
      (await (await fetch(`${d.base}/ready`)).json()) as { generation: number; last_reload?: { ok: boolean; error?: string } };
    const reloads = async () => {
      const text = await (await fetch(`${d.base}/metrics`)).text();
      return [...text.matchAll(/^mxcp_reloads_total\{result="(\w+)"\} (\d+)/gm)].reduce((n, m) => n + Number(m[2]), 0);
    };

    let tools = await served();
    let generation = (await ready()).generation;
    let swapped = 0;
    let kept = 0;
    for (const [target, edits] of mutations(2411, 30, kTargets.length) as Mutation[]) {
      for (const [t, text] of fx.originals) writeFileSync(fx.pathOf(t), text);
      const name = kTargets[target]!;
      writeFileSync(fx.pathOf(name), applyMutation(fx.originals.get(name), edits));
      const expected = await loadInProcess(project.root, project.home);
      const before = await reloads();
      d.child.kill('SIGHUP');
      const deadline = Date.now() + 60_000;
      while ((await reloads()) === before) {
        if (Date.now() > deadline) throw new Error('reload did not finish');
        await new Promise((r) => setTimeout(r, 50));
      }
      const now = await ready();
      if (now.generation !== generation) {
        // Swapped: the new generation serves exactly what the files define, and the files were valid.
        swapped++;
        expect(expected).toMatchObject({ failed: 0 });
        tools = await served();
        expect(tools).toEqual((expected as { tools: string[] }).tools);
        generation = now.generation;
      } else {
        // Kept: a coded error is reported and the old generation serves on, whole.
        kept++;
        expect(now.last_reload?.ok).toBe(false);
        expect(now.last_reload?.error).toMatch(/MXCP_E_[A-Z_]+/);
        expect(await served()).toEqual(tools);
      }
      expect(d.child.exitCode).toBeNull();
    }
    expect(swapped).toBeGreaterThan(0);
    expect(kept).toBeGreaterThan(0);
  });
});
