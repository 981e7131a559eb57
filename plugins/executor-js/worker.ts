/**
 * Entry module of each executor worker thread (piscina `filename`; it must run as compiled JS from dist/).
 *
 * Start-up order matters:
 *  1. send the control port to the main thread (first, so even a crash while loading is attributed);
 *  2. register the loader hooks (TypeScript in memory, `mxcp/sdk` resolution) before any endpoint import;
 *  3. place the runtime slot on globalThis, so module top levels can call `onInit` / `onShutdown`;
 *  4. import every endpoint module, then run the `onInit` hooks, then report ready (on the control port).
 * The task handler awaits that start-up, so no call overtakes the `onInit` hooks. It is exported at once, so
 * piscina counts the worker as started when this module has evaluated: a worker that dies later while loading
 * endpoint modules is replaced by piscina like any crashed worker, and the main thread's WorkerPool decides when
 * repeated start failures must stop (piscina alone would stop replacing it and leave queued calls waiting).
 */
import { register } from 'node:module';
import { serialize } from 'node:v8';
import { MessageChannel, parentPort, threadId, workerData } from 'node:worker_threads';
import { move } from 'piscina';
import { type EndpointFunction, loadEndpoints } from './endpoint-modules.js';
import type { LoaderHooksData } from './loader-hooks.js';
import { type CallOutcome, type CallTask, toWireError, type WorkerHello, type WorkerInit } from './protocol.js';
import { ControlChannel, installRuntime, Scope } from './worker-runtime.js';

const init = workerData as WorkerInit;
const { port1, port2 } = new MessageChannel();
parentPort!.postMessage({ mxcpWorkerHello: true, threadId, port: port2 } satisfies WorkerHello, [port2]);
const channel = new ControlChannel(port1);
const runtime = installRuntime(channel, init.config);

channel.onShutdown(() => {
  void runtime.runHooks(runtime.slot.shutdownHooks).then((errors) => channel.post({ t: 'shutdown-done', errors }));
});

async function bootstrap(): Promise<ReadonlyMap<string, EndpointFunction>> {
  register<LoaderHooksData>(new URL('./loader-hooks.js', import.meta.url), { data: { sdkUrl: init.sdkUrl, transpiled: init.transpiled } });
  // Stack traces of endpoint code point at .ts lines (esbuild emits inline source maps).
  process.setSourceMapsEnabled(true);
  const { functions, problems } = await loadEndpoints(init.endpoints, (what) => channel.post({ t: 'loading', what }));
  channel.post({ t: 'loading', what: 'onInit hooks' });
  // Only hooks registered while the modules loaded run; a copy, so later registrations are ignored.
  for (const err of await runtime.runHooks([...runtime.slot.initHooks])) {
    channel.post({ t: 'log', level: 'error', message: `onInit hook failed: ${err.message}`, data: { stack: err.stack } });
  }
  channel.post({ t: 'ready', problems });
  return functions;
}

/** Results at least this large are transferred instead of copied (a transfer costs more than copying a few KiB). */
const kTransferBytes = 64 * 1024;

/** The v8-serialized result; large buffers are moved to the main thread when this buffer owns its memory. */
function encodeResult(result: unknown): CallOutcome {
  let bytes: Buffer;
  try {
    bytes = serialize(result);
  } catch (err) {
    return { failure: 'not-cloneable', error: toWireError(err) };
  }
  const movable = bytes.byteLength >= kTransferBytes && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  return (movable ? move(bytes) : bytes) as CallOutcome;
}

async function runCall(functions: ReadonlyMap<string, EndpointFunction>, task: CallTask): Promise<CallOutcome> {
  const fn = functions.get(task.name);
  if (!fn) return { failure: 'not-loaded', error: { name: 'Error', message: `Endpoint '${task.name}' is not loaded in this worker` } };
  const scope = new Scope(channel, task.callId, task.user);
  let result: unknown;
  try {
    result = await runtime.run(scope, () => fn(task.params));
  } catch (err) {
    await scope.end();
    return { failure: 'threw', error: toWireError(err) };
  }
  await scope.end();
  return encodeResult(result);
}

const started = bootstrap();
// Only register() can fail here (module load errors are reported per endpoint): end this worker, loudly.
started.catch((err: unknown) => {
  process.nextTick(() => {
    throw err;
  });
});

export default async function handleTask(task: CallTask): Promise<CallOutcome> {
  return runCall(await started, task);
}
