#!/usr/bin/env node
// Long YAML/config fuzz run, in process, through what `mxcp validate` does (the built dist/ code):
//   npm run build && node scripts/fuzz/yaml.mjs [--count 20000] [--seed 1]
// Every mutated project must end in success or a coded MXCP_E_* error. Prints outcomes by code; exits 1 on
// the first uncoded error (a crash), printing the mutation that caused it.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { applyMutation, mutations } from './yaml-mutations.mjs';

const { values } = parseArgs({ options: { count: { type: 'string', default: '20000' }, seed: { type: 'string', default: '1' } } });
const root = fileURLToPath(new URL('../../', import.meta.url));
const { loadProject } = await import(join(root, 'dist/daemon/config/project.js'));
const { buildRegistry } = await import(join(root, 'dist/daemon/registry/registry.js'));
const { builtinExecutorLanguages } = await import(join(root, 'dist/daemon/registry/languages.js'));
const { isMxcpError } = await import(join(root, 'dist/sdk/errors/index.js'));

const base = mkdtempSync(join(tmpdir(), 'mxcp-yaml-fuzz-'));
const project = join(base, 'project');
const home = join(base, 'home');
cpSync(join(root, 'spec/fixtures/fuzz/project'), project, { recursive: true });
mkdirSync(join(home, '.mxcp'), { recursive: true });
writeFileSync(
  join(home, '.mxcp/config.yml'),
  'mxcp: 1\nprojects:\n  fuzz-target:\n    profiles:\n      dev: {}\ntransport:\n  http:\n    host: localhost\n',
);
const targets = [
  'mxcp-site.yml',
  'tools/echo.yml',
  'tools/add.yml',
  'tools/notify.yml',
  'resources/user.yml',
  'prompts/greet.yml',
  join(home, '.mxcp/config.yml'),
];
const pathOf = (t) => (t.startsWith('/') ? t : join(project, t));
const originals = new Map(targets.map((t) => [t, readFileSync(pathOf(t), 'utf8')]));

// A process warning (the YAML library stringifying a collection key, say) means a case slipped past the
// checks: it is reported with its mutation, like a crash.
let warned;
process.on('warning', (w) => {
  warned ??= w;
});
const outcomes = {};
const t0 = Date.now();
const count = Number(values.count);
let done = 0;
let crash;
for (const [target, edits] of mutations(Number(values.seed), count, targets.length)) {
  for (const [t, text] of originals) writeFileSync(pathOf(t), text);
  const name = targets[target];
  writeFileSync(pathOf(name), applyMutation(originals.get(name), edits));
  try {
    const loaded = await loadProject({ cwd: project, env: { HOME: home }, home });
    const registry = await buildRegistry({ root: loaded.root, paths: loaded.siteConfig.paths, languages: builtinExecutorLanguages() });
    for (const e of registry.failed) {
      if (!isMxcpError(e.error)) throw e.error;
      outcomes[e.error.code] = (outcomes[e.error.code] ?? 0) + 1;
    }
    if (registry.failed.length === 0) outcomes.valid = (outcomes.valid ?? 0) + 1;
  } catch (err) {
    if (!isMxcpError(err)) {
      crash = { name, edits, err };
      break;
    }
    outcomes[err.code] = (outcomes[err.code] ?? 0) + 1;
  }
  if (warned) {
    crash = { name, edits, err: warned };
    break;
  }
  if (++done % 1000 === 0) process.stdout.write(`\r${done} mutations`);
}
rmSync(base, { recursive: true, force: true });
console.log(`\n${done} mutations in ${((Date.now() - t0) / 1000).toFixed(1)} s, seed ${values.seed}`);
for (const [k, v] of Object.entries(outcomes).sort((a, b) => b[1] - a[1])) console.log(`  ${k}: ${v}`);
if (crash) {
  console.log(`UNCODED ERROR in ${crash.name} after edits ${JSON.stringify(crash.edits)}:\n${crash.err?.stack ?? crash.err}`);
  process.exit(1);
}
