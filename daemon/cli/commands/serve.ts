/**
 * `mxcp serve`: the daemon itself (this process; no forking wrapper). Builds the generation, refuses to
 * start on invalid endpoints unless `--ignore-errors`, then serves MCP over stdio, Streamable HTTP
 * (`/mcp`) or the legacy SSE transport (`/sse`) until a signal or the end of stdin.
 *
 * stdout belongs to JSON-RPC under stdio: nothing else is written there (logs and the banner go to stderr).
 */
import { resolve } from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { Errors } from '../../../sdk/errors/index.js';
import { type AuditSinks, openAuditSinks } from '../../audit/audit-sinks.js';
import { authSettings } from '../../auth/auth-settings.js';
import { checkIssuerUrl } from '../../auth/base-url.js';
import { durationMs, envFlag } from '../../config/env.js';
import type { ProjectConfig } from '../../config/project.js';
import { loadProject } from '../../config/project.js';
import type { Duration } from '../../config/types.js';
import { userConfigPath } from '../../config/user-config.js';
import { auditAuthRefusal, auditedInvoker } from '../../engine/audited-invoke.js';
import { buildGeneration } from '../../generation/build-generation.js';
import type { Generation } from '../../generation/generation.js';
import { addLogFile, reopenLogFile, resolveLogLevel } from '../../logging/logger.js';
import type { InvokerFactory } from '../../mcp/catalog/invoker.js';
import { McpDispatcher } from '../../mcp/dispatcher.js';
import { kPackageVersion } from '../../package-root.js';
import { AdminSocket, kDefaultAdminSocket } from '../../supervisor/admin-socket.js';
import { adminSources } from '../../supervisor/admin-sources.js';
import { watchedPaths, watchForReload } from '../../supervisor/file-watcher.js';
import { DaemonMetrics } from '../../supervisor/metrics.js';
import { ReloadController } from '../../supervisor/reload-controller.js';
import { SystemdNotifier } from '../../supervisor/systemd-notify.js';
import { startOtelMetrics } from '../../telemetry/otel-metrics.js';
import { startTracing, telemetrySettings } from '../../telemetry/tracing.js';
import { createHttpTransport, type HttpTransport, kMcpPath, kSsePath } from '../../transports/http/http-transport.js';
import { MetricsServer } from '../../transports/http/metrics-server.js';
import { Shutdown } from '../../transports/shutdown.js';
import { serveStdio } from '../../transports/stdio.js';
import { errorText, type Output } from '../output.js';
import { type CommandContext, type CommonOptions, runCommand } from '../run-command.js';

type TransportName = 'streamable-http' | 'http' | 'sse' | 'stdio';

interface ServeOptions extends CommonOptions {
  drainTimeout?: string;
  watch?: boolean;
  transport?: TransportName;
  host?: string;
  port?: number;
  stateless?: boolean;
  sqlTools?: 'true' | 'false';
  readonly?: boolean;
  ignoreErrors?: boolean;
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('Start the MCP server (stdio, Streamable HTTP at /mcp, or SSE at /sse)')
    .option('--profile <name>', 'profile to use')
    .addOption(
      new Option('--transport <transport>', 'transport (default: the user config, else streamable-http)').choices([
        'streamable-http',
        'http',
        'sse',
        'stdio',
      ]),
    )
    .option('--host <host>', 'address to listen on (default: the user config, else localhost)')
    .option('--port <port>', 'port to listen on (default: the user config, else 8000)', parsePort)
    .option('--stateless', 'serve Streamable HTTP without sessions')
    .option('--watch', 'reload when project or config files change (default: reload.watch)')
    .option(
      '--drain-timeout <duration>',
      'how long SIGTERM waits for in-flight calls, e.g. 30s (default: transport.http.drain_timeout, 25s)',
    )
    .addOption(new Option('--sql-tools <enabled>', 'serve the built-in SQL tools (default: sql_tools.enabled)').choices(['true', 'false']))
    .option('--readonly', 'open the database read-only')
    .option('--ignore-errors', 'start even when some endpoints are invalid (they are skipped)')
    .option('--json-output', 'print startup errors as JSON')
    .option('--debug', 'debug logging')
    .action((opts: ServeOptions) => runCommand(opts, (ctx) => serve(ctx, opts)));
}

async function serve(ctx: CommandContext, opts: ServeOptions): Promise<number> {
  const { env, log } = ctx;
  const project = await loadProject({ cwd: ctx.cwd, env, profile: opts.profile });
  log.level = resolveLogLevel({ debug: opts.debug, env, configured: project.userConfig.logging.level });
  // logging.path: the log also goes to a file, reopened on SIGHUP for logrotate (stderr keeps it too).
  const logging = project.userConfig.logging;
  if (logging.enabled && logging.path) addLogFile(log, resolve(ctx.cwd, logging.path));
  const readonly = opts.readonly || envFlag(env, 'MXCP_READONLY') || undefined;
  const drainMs = drainTimeoutMs(opts.drainTimeout, project.userConfig.transport.http.drain_timeout);
  const transportName = normalizeTransport(opts.transport ?? project.userConfig.transport.provider);
  // stdio has no auth, as in MXCP (credentials come from the environment); HTTP gets the profile's.
  const authFor = (p: typeof project) => (transportName === 'stdio' ? undefined : authSettings(p, env.HOME || undefined));
  const auth = authFor(project);
  if (auth?.mode === 'issuer') checkStaticIssuer(project, opts);
  const generation = await buildGeneration({ id: 1, project, logger: log, readonly, ...(auth ? { auth } : {}) });
  // The audit trail outlives generations: opened before serving, closed after the last request drained.
  let audit: AuditSinks;
  try {
    audit = await openAuditSinks(project, log);
  } catch (err) {
    await generation.close('shutdown');
    throw err;
  }

  if (generation.failed.length > 0) {
    if (!opts.ignoreErrors) {
      reportStartupFailure(ctx.out, generation);
      await generation.close('shutdown');
      await audit.close('shutdown');
      return 1;
    }
    for (const e of generation.failed) log.warn({ file: e.relPath }, `skipped endpoint: ${e.error ? errorText(e.error) : e.relPath}`);
  }

  const http = project.userConfig.transport.http;
  const stateless = opts.stateless === true || http.stateless;
  const host = opts.host ?? http.host;
  const transport = transportName;
  // Swapped by the reload controller; every request takes a reference on whichever is current when it starts.
  let current: Generation = generation;
  const holder = { current: (): Generation => current };
  // Tracing is configured once at start, as in MXCP (a reload does not change it).
  const telemetry = telemetrySettings(project, env);
  const tracing = telemetry?.tracing ? await startTracing(telemetry, log.child({ component: 'telemetry' })) : undefined;
  const otelMetrics = telemetry?.metrics.enabled
    ? await startOtelMetrics(
        telemetry,
        { profile: project.profile.name, project: project.siteConfig.project, transport },
        log.child({ component: 'telemetry' }),
      )
    : undefined;
  const metrics = new DaemonMetrics();
  metrics.generation.set(generation.id);
  const dispatcher = new McpDispatcher({
    holder,
    logger: log.child({ component: 'mcp' }),
    sqlTools: opts.sqlTools === undefined ? undefined : opts.sqlTools === 'true',
    invoker: instrumented(auditedInvoker(audit), [tracing, otelMetrics, metrics]),
  });
  metrics.countSessions = () => dispatcher.sessions.size;
  metrics.poolStats = () =>
    current.executors.flatMap((e) => {
      const st = e.stats?.();
      return st ? [{ executor: e.languages.join('/'), ...st }] : [];
    });
  metrics.auditStats = () =>
    audit
      .stats()
      .map((a) => ({ sink: a.sink, queued: a.stats?.queued ?? 0, dropped: a.stats?.dropped ?? 0, writeErrors: a.stats?.writeErrors ?? 0 }));
  const reloads = new ReloadController({
    logger: log.child({ component: 'reload' }),
    current: holder.current,
    drainMs,
    async build(id) {
      const nextProject = await loadProject({ cwd: ctx.cwd, env, profile: opts.profile, root: project.root });
      const nextAuth = authFor(nextProject);
      return buildGeneration({ id, project: nextProject, logger: log, readonly, ...(nextAuth ? { auth: nextAuth } : {}) });
    },
    refuse: (next) =>
      next.failed.length > 0 && !opts.ignoreErrors
        ? `${next.failed.length} endpoint(s) with errors: ${next.failed.map((e) => (e.error ? errorText(e.error) : e.relPath)).join('; ')}`
        : undefined,
    prepare: (next) => audit.reconfigure(next.project),
    swap: (next) => {
      current = next;
      metrics.generation.set(next.id);
    },
    onResult: (ok) => {
      metrics.reloads.inc({ result: ok ? 'success' : 'failure' });
      otelMetrics?.reload(ok);
    },
    async afterSwap(next, previous) {
      await audit.reopen();
      dispatcher.sessions.listChanged();
      for (const change of restartOnlyChanges(previous, next)) log.warn({ change }, `${change} changed: takes effect after a restart`);
    },
  });
  // Admin socket (MXCP_ADMIN_ENABLED): opened before serving, so a socket held by another live daemon
  // stops this one before it listens anywhere.
  let shutdownRef: Shutdown | undefined;
  let httpRef: HttpTransport | undefined;
  let notifierRef: SystemdNotifier | undefined;
  let admin: AdminSocket | undefined;
  if (envFlag(env, 'MXCP_ADMIN_ENABLED')) {
    const socketPath = env.MXCP_ADMIN_SOCKET || kDefaultAdminSocket;
    const sources = adminSources({
      audit,
      current: holder.current,
      reloads,
      draining: () => shutdownRef?.notReadyReason() === 'draining',
      activeRequests: async () => (await metrics.inFlight.get()).values[0]?.value ?? 0,
      readonly: readonly === true,
      debug: opts.debug === true,
      transport,
      socketPath,
      cwd: ctx.cwd,
      env,
      startedAt: Date.now(),
    });
    try {
      admin = await AdminSocket.open(socketPath, sources, log.child({ component: 'admin' }));
    } catch (err) {
      await generation.close('shutdown');
      await audit.close('shutdown');
      throw err;
    }
  }
  const adminSocket = admin;
  const watcher =
    (opts.watch ?? project.userConfig.reload.watch)
      ? await watchForReload(
          watchedPaths(project, userConfigPath(env, undefined, ctx.cwd).path),
          durationMs(project.userConfig.reload.debounce),
          (reason) => {
            notifierRef?.reloading();
            void reloads.trigger(reason).then(() => notifierRef?.ready(`serving generation ${current.id}`));
          },
          log.child({ component: 'watch' }),
        )
      : undefined;
  const notifier = SystemdNotifier.fromEnv(env, log);
  notifierRef = notifier;
  process.on('SIGHUP', () => {
    reopenLogFile(log);
    try {
      httpRef?.reloadTls();
    } catch (err) {
      log.error({ code: (err as { code?: string }).code }, `${errorText(err)}; the previous certificate stays in use`);
    }
    notifier?.reloading();
    void reloads.trigger('SIGHUP').then(() => notifier?.ready(`serving generation ${current.id}`));
  });
  const shutdown = new Shutdown({
    dispatcher,
    generation: holder.current,
    resources: [
      { name: 'audit', flush: () => audit.flush(), close: (reason) => audit.close(reason) },
      ...(tracing ? [{ name: 'telemetry', flush: async () => undefined, close: () => tracing.shutdown() }] : []),
      ...(otelMetrics ? [{ name: 'telemetry metrics', flush: async () => undefined, close: () => otelMetrics.shutdown() }] : []),
      ...(adminSocket ? [{ name: 'admin socket', flush: async () => undefined, close: () => adminSocket.close() }] : []),
    ],
    beforeDrain: async () => {
      notifier?.stopping();
      await watcher?.close();
      return reloads.stop();
    },
    logger: log,
    deadlineMs: drainMs,
  });

  shutdownRef = shutdown;

  if (transport === 'stdio') {
    const stdio = serveStdio({ dispatcher, logger: log });
    notifier?.ready('serving on stdio');
    shutdown.stdio = stdio;
    shutdown.install();
    await stdio.ended;
    await shutdown.run('end of stdin', 0);
    return 0;
  }

  const metricsSource = { contentType: metrics.registry.contentType, metrics: () => metrics.registry.metrics() };
  const server: HttpTransport = createHttpTransport({
    dispatcher,
    logger: log.child({ component: 'http' }),
    mode: transport,
    host,
    port: opts.port ?? http.port,
    stateless,
    allowedHosts: http.allowed_hosts,
    allowedOrigins: http.allowed_origins,
    keepaliveMs: durationMs(http.sse_keepalive),
    sessionIdleMs: durationMs(http.session_idle_timeout),
    readiness: {
      notReadyReason: () => shutdown.notReadyReason(),
      details: () => {
        const failed = reloads.lastFailure;
        return { generation: current.id, ...(failed ? { last_reload: failed } : {}) };
      },
    },
    // With a metrics_port, /metrics moves to its own listener (below).
    ...(http.metrics_port === undefined ? { metrics: metricsSource } : {}),
    ...(http.tls
      ? {
          tls: {
            cert: resolve(ctx.cwd, http.tls.cert),
            key: resolve(ctx.cwd, http.tls.key),
            ...(http.tls.ca ? { ca: resolve(ctx.cwd, http.tls.ca) } : {}),
          },
        }
      : {}),
    auth: {
      service: () => current.auth,
      // With TLS the daemon is https itself, whatever `scheme` says.
      baseUrl: {
        ...(http.base_url ? { baseUrl: http.base_url } : {}),
        scheme: http.tls ? 'https' : http.scheme,
        host,
        trustProxy: http.trust_proxy,
      },
      onRefusal: (refusal, req, path, startedAt) => {
        void auditAuthRefusal(audit, {
          name: `${req.method ?? 'GET'} ${path}`,
          caller: 'http',
          startedAt,
          error: refusal.error,
        }).catch((err: unknown) => log.warn({ err }, 'auditing an auth refusal failed'));
      },
    },
  });
  try {
    await server.listen();
  } catch (err) {
    await adminSocket?.close();
    await generation.close('shutdown');
    await audit.close('shutdown');
    throw err;
  }
  shutdown.http = server;
  httpRef = server;
  if (http.metrics_port !== undefined) {
    // Scrapes keep answering through the drain (readiness is what turns away traffic); the shutdown
    // sequence ends with process exit, which closes this listener.
    try {
      const metricsServer = await MetricsServer.listen(host, http.metrics_port, metricsSource);
      log.info({ port: metricsServer.port }, 'metrics on their own port');
    } catch (err) {
      await server.close();
      await adminSocket?.close();
      await generation.close('shutdown');
      await audit.close('shutdown');
      throw new Errors.MXCP_E_MCP_LISTEN_FAILED(
        { address: `${host}:${http.metrics_port}`, detail: (err as Error).message },
        { cause: err },
      );
    }
  }
  shutdown.install();
  printBanner(generation, { transport, host, server, stateless, https: http.tls !== undefined });
  notifier?.ready(`serving ${transport} on ${server.addresses.map((a) => `${a.address}:${a.port}`).join(', ')}`);
  // Serving until the shutdown sequence exits the process.
  return new Promise<number>(() => undefined);
}

/** `--drain-timeout` (`30s`, `1m`, `500ms`, or plain seconds) over the user config's value. */
function drainTimeoutMs(flag: string | undefined, configured: Duration): number {
  if (flag === undefined) return durationMs(configured);
  const value = /^[0-9]+(?:\.[0-9]+)?$/.test(flag.trim()) ? Number(flag) : flag;
  try {
    const ms = durationMs(value);
    if (ms > 0) return ms;
  } catch {
    // reported below
  }
  throw new Errors.MXCP_E_CLI_USAGE({ detail: `--drain-timeout must be a duration like 30s, 2m or 500ms (got '${flag}')` });
}

/** Wraps the invoker in each instrumentation given, innermost first (the first wraps the audited call). */
function instrumented(
  invoker: InvokerFactory,
  layers: readonly ({ instrument(i: InvokerFactory): InvokerFactory } | undefined)[],
): InvokerFactory {
  return layers.reduce<InvokerFactory>((inner, layer) => (layer ? layer.instrument(inner) : inner), invoker);
}

/** An issuer on a non-loopback plain-HTTP URL is refused at start (OAuth 2.1), unless a trusted proxy supplies the scheme. */
function checkStaticIssuer(project: ProjectConfig, opts: ServeOptions): void {
  const http = project.userConfig.transport.http;
  if (http.base_url) {
    checkIssuerUrl(http.base_url);
    return;
  }
  if (http.trust_proxy) return;
  const host = opts.host ?? http.host;
  checkIssuerUrl(`${http.scheme}://${host === '0.0.0.0' || host === '::' ? 'unspecified.invalid' : host}`);
}

/** Settings a running server cannot change in place (the listener is bound). */
function restartOnlyChanges(previous: Generation, next: Generation): string[] {
  const a = previous.project.userConfig.transport;
  const b = next.project.userConfig.transport;
  const changes: string[] = [];
  if (a.provider !== b.provider) changes.push('transport.provider');
  if (a.http.host !== b.http.host) changes.push('transport.http.host');
  if (a.http.port !== b.http.port) changes.push('transport.http.port');
  if (a.http.stateless !== b.http.stateless) changes.push('transport.http.stateless');
  return changes;
}

function normalizeTransport(name: TransportName): 'streamable-http' | 'sse' | 'stdio' {
  return name === 'http' ? 'streamable-http' : name;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError('must be an integer from 0 to 65535');
  return port;
}

/** MXCP's startup refusal: human text on stderr, or its JSON document on stdout with `--json-output`. */
function reportStartupFailure(out: Output, generation: Generation): void {
  const count = generation.failed.length;
  const message = Errors.MXCP_E_MCP_INVALID_ENDPOINTS.format({ count });
  if (out.json) {
    const failed_endpoints = generation.failed.map((e) => ({ path: e.absPath, error: e.error ? errorText(e.error) : 'invalid endpoint' }));
    out.line(JSON.stringify({ status: 'error', message, failed_endpoints }, null, 2));
    return;
  }
  const lines = [`Server startup failed! ${message}:`];
  for (const e of generation.failed) lines.push(`  - ${e.relPath}: ${e.error ? errorText(e.error) : 'invalid endpoint'}`);
  lines.push('Fix them, or start anyway with --ignore-errors (invalid endpoints are then skipped).');
  process.stderr.write(`${lines.join('\n')}\n`);
}

interface BannerInfo {
  readonly transport: 'streamable-http' | 'sse';
  readonly host: string;
  readonly server: HttpTransport;
  readonly stateless: boolean;
  readonly https: boolean;
}

/** A few lines for the operator, on stderr (journald keeps them; stdout stays clean). */
function printBanner(generation: Generation, info: BannerInfo): void {
  const port = info.server.addresses[0]?.port ?? 0;
  const host = info.host.includes(':') && !info.host.startsWith('[') ? `[${info.host}]` : info.host;
  const path = info.transport === 'sse' ? kSsePath : kMcpPath;
  const mode = info.transport === 'sse' ? 'sse' : info.stateless ? 'streamable-http (stateless)' : 'streamable-http';
  const lines = [
    `MXCP Server ${kPackageVersion}: project ${generation.project.siteConfig.project}, profile ${generation.project.profile.name}`,
    `  transport ${mode}; tools ${generation.tools.size}, resources ${generation.resources.size}, prompts ${generation.prompts.size}` +
      (generation.failed.length > 0 ? `; skipped endpoints ${generation.failed.length}` : ''),
    `Listening on ${info.https ? 'https' : 'http'}://${host}:${port}${path}`,
  ];
  process.stderr.write(`${lines.join('\n')}\n`);
}
