/**
 * Runs endpoint tests (`tests:` in endpoint YAML) through the normal pipeline, as MXCP does: arguments from
 * the test, output validation on, transport `cli-test`, user context `--user-context` > the test's
 * `user_context` > none. Case status: passed / failed (assertion) / error (exception).
 */
import { performance } from 'node:perf_hooks';
import { describeError as errorText } from '../../sdk/errors/index.js';
import type { UserContext } from '../../sdk/user-context.js';
import type { CompiledEndpoint } from '../generation/compiled-endpoint.js';
import type { Generation } from '../generation/generation.js';
import type { EndpointEntry } from '../registry/registry.js';
import type { TestDefinition } from '../registry/types.js';
import { invokeEndpoint } from './invoke.js';
import { checkAssertions, normalizeResult } from './test-assertions.js';
import { userContextFromJson } from './user-context.js';

export type CaseStatus = 'passed' | 'failed' | 'error';

export interface CaseResult {
  name: string;
  description?: string;
  status: CaseStatus;
  error?: string;
  error_cause?: string;
  time: number;
}

export interface SuiteResult {
  status: 'ok' | 'failed' | 'error';
  tests_run: number;
  tests: CaseResult[];
  no_tests: boolean;
}

export interface EndpointTestResult {
  endpoint: string;
  path: string;
  test_results?: SuiteResult;
  status?: 'error';
  message?: string;
}

export interface RunTestsOptions {
  readonly user?: UserContext;
  readonly headers?: Record<string, string>;
  /** Called after each case (progress on a terminal). */
  readonly onCase?: (endpoint: string, result: CaseResult) => void;
}

export async function runEndpointTests(endpoint: CompiledEndpoint, options: RunTestsOptions): Promise<SuiteResult> {
  const tests: TestDefinition[] = endpoint.entry.endpoint.def.tests ?? [];
  const results: CaseResult[] = [];
  for (const test of tests) {
    const result = await runCase(endpoint, test, options);
    results.push(result);
    options.onCase?.(`${endpoint.kind}/${endpoint.name}`, result);
  }
  return {
    status: suiteStatus(results),
    tests_run: results.length,
    tests: results,
    no_tests: tests.length === 0,
  };
}

async function runCase(endpoint: CompiledEndpoint, test: TestDefinition, options: RunTestsOptions): Promise<CaseResult> {
  const started = performance.now();
  const base = { name: test.name, ...(test.description ? { description: test.description } : {}) };
  const args = Object.fromEntries((test.arguments ?? []).map((a) => [a.key, a.value]));
  const user = options.user ?? (test.user_context ? userContextFromJson(test.user_context, 'test', 'user_context') : undefined);
  const elapsed = () => Math.round((performance.now() - started) * 1000) / 1e6;
  try {
    const raw = await invokeEndpoint(endpoint, args, { transport: 'cli-test', user, headers: options.headers });
    const result = normalizeResult(prepareForAssertion(endpoint, raw));
    const failure = checkAssertions(test, result);
    return failure ? { ...base, status: 'failed', error: failure, time: elapsed() } : { ...base, status: 'passed', time: elapsed() };
  } catch (err) {
    const cause = err instanceof Error && err.cause ? errorText(err.cause) : undefined;
    return { ...base, status: 'error', error: errorText(err), ...(cause ? { error_cause: cause } : {}), time: elapsed() };
  }
}

/**
 * Results are compared as JSON (temporal values as ISO strings). Prompt results: the text of the last
 * assistant message (JSON-parsed when it looks like JSON), else the message list, as MXCP.
 */
function prepareForAssertion(endpoint: CompiledEndpoint, raw: unknown): unknown {
  if (endpoint.kind === 'prompt' && Array.isArray(raw)) {
    const last = [...raw].reverse().find((m: { role?: string }) => m.role === 'assistant') as { prompt: string } | undefined;
    if (!last) return raw;
    const text = last.prompt.trim();
    if (/^[[{]/.test(text)) {
      try {
        return JSON.parse(text);
      } catch {
        return text;
      }
    }
    return text;
  }
  return raw === undefined ? undefined : JSON.parse(JSON.stringify(raw, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)));
}

function suiteStatus(results: readonly CaseResult[]): SuiteResult['status'] {
  if (results.some((r) => r.status === 'error')) return 'error';
  if (results.some((r) => r.status === 'failed')) return 'failed';
  return 'ok';
}

/** Every endpoint's tests, plus an error entry per file that failed to load. */
export async function runAllTests(
  generation: Generation,
  options: RunTestsOptions,
): Promise<{ status: 'ok' | 'failed' | 'error'; tests_run: number; endpoints: EndpointTestResult[] }> {
  const endpoints: EndpointTestResult[] = [];
  for (const map of [generation.tools, generation.resources, generation.prompts]) {
    for (const endpoint of map.values()) {
      const suite = await runEndpointTests(endpoint, options);
      endpoints.push({ endpoint: `${endpoint.kind}/${endpoint.name}`, path: endpoint.entry.relPath, test_results: suite });
    }
  }
  for (const f of generation.failed as EndpointEntry[]) {
    endpoints.push({ endpoint: f.absPath, path: f.relPath, status: 'error', message: f.error ? errorText(f.error) : 'failed to load' });
  }
  const statuses = endpoints.map((e) => e.status ?? e.test_results?.status);
  const status = statuses.includes('error') ? 'error' : statuses.includes('failed') ? 'failed' : 'ok';
  const tests_run = endpoints.reduce((n, e) => n + (e.test_results?.tests_run ?? 0), 0);
  return { status, tests_run, endpoints };
}
