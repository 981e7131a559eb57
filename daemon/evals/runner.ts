/**
 * Runs eval suites: for each test, the model gets the prompt and the project's tools (MCP-style JSON
 * Schemas); every tool call it makes runs through the real pipeline (conversion, policies with the test's
 * user context, execution) and its result goes back to the model, until it answers without calling a tool
 * (at most {@link kMaxTurns} turns). Then the assertions are checked against the calls and the answer.
 */
import { describeError, Errors } from '../../sdk/errors/index.js';
import type { ModelMessage, ModelProvider, ModelSettings, ModelTool } from '../../sdk/model-provider.js';
import type { UserContext } from '../../sdk/user-context.js';
import { invokeEndpoint } from '../engine/invoke.js';
import { userContextFromJson } from '../engine/user-context.js';
import type { Generation } from '../generation/generation.js';
import { inputJsonSchema } from '../types/json-schema.js';
import type { EvalSuite, EvalTest } from './suites.js';

export const kMaxTurns = 10;

export interface EvalCall {
  tool: string;
  args: Record<string, unknown>;
  error?: string;
}
export interface EvalTestResult {
  name: string;
  description?: string;
  status: 'passed' | 'failed' | 'error';
  failures: string[];
  error?: string;
  tool_calls: EvalCall[];
  answer: string;
  time: number;
}
export interface EvalSuiteResult {
  suite: string;
  path: string;
  model: string;
  status: 'passed' | 'failed';
  tests: EvalTestResult[];
}

export interface ResolvedModel {
  readonly name: string;
  readonly settings: ModelSettings;
  readonly provider: ModelProvider;
}

/** `--model` > the suite's `model` > `models.default`; it must be configured and some provider must serve its type. */
export function resolveModel(generation: Generation, suite: EvalSuite, override: string | undefined): ResolvedModel {
  const models = generation.project.userConfig.models;
  const name = override ?? suite.model ?? models?.default;
  if (!name)
    throw new Errors.MXCP_E_MODEL_NOT_CONFIGURED({ detail: 'pass --model, set model: in the suite, or models.default in the user config' });
  const block = models?.models[name] as
    | { type?: string; api_key?: string; base_url?: string; timeout?: number; max_retries?: number }
    | undefined;
  if (!block?.type) throw new Errors.MXCP_E_MODEL_NOT_CONFIGURED({ detail: `model '${name}' is not in the user config's models.models` });
  const provider = generation.plugins?.instances('model-provider').find((p) => p.types.includes(block.type as string));
  if (!provider) throw new Errors.MXCP_E_MODEL_NO_PROVIDER({ model: name, type: block.type });
  const settings: ModelSettings = {
    type: block.type,
    ...(block.api_key !== undefined ? { apiKey: block.api_key } : {}),
    ...(block.base_url !== undefined ? { baseUrl: block.base_url } : {}),
    ...(block.timeout !== undefined ? { timeout: Number(block.timeout) } : {}),
    ...(block.max_retries !== undefined ? { maxRetries: Number(block.max_retries) } : {}),
  };
  return { name, settings, provider };
}

function modelTools(generation: Generation): ModelTool[] {
  return [...generation.tools.values()]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((t) => ({
      name: t.name,
      ...(t.entry.endpoint.def.description ? { description: t.entry.endpoint.def.description } : {}),
      inputSchema: inputJsonSchema(t.parameters) as Record<string, unknown>,
    }));
}

/** `args` given in a must_call are a subset the actual call must match (JSON equality per key). */
function argsMatch(expected: Record<string, unknown>, actual: Record<string, unknown>): boolean {
  return Object.entries(expected).every(([k, v]) => JSON.stringify(actual[k]) === JSON.stringify(v));
}

function checkAssertions(test: EvalTest, calls: EvalCall[], answer: string): string[] {
  const a = test.assertions;
  const failures: string[] = [];
  for (const want of a.must_call ?? []) {
    if (!calls.some((c) => c.tool === want.tool && argsMatch(want.args ?? {}, c.args))) {
      const made = calls.filter((c) => c.tool === want.tool).map((c) => JSON.stringify(c.args));
      failures.push(
        `Expected call to '${want.tool}' with ${JSON.stringify(want.args ?? {})}${made.length ? `, got ${made.join(', ')}` : ', but it was not called'}`,
      );
    }
  }
  for (const name of a.must_not_call ?? [])
    if (calls.some((c) => c.tool === name)) failures.push(`Tool '${name}' was called but must not be`);
  const lower = answer.toLowerCase();
  for (const s of a.answer_contains ?? []) if (!lower.includes(s.toLowerCase())) failures.push(`Answer does not contain '${s}'`);
  for (const s of a.answer_not_contains ?? []) if (lower.includes(s.toLowerCase())) failures.push(`Answer contains '${s}' but must not`);
  return failures;
}

async function runTest(
  generation: Generation,
  model: ResolvedModel,
  test: EvalTest,
  user: UserContext | undefined,
): Promise<EvalTestResult> {
  const started = performance.now();
  const tools = modelTools(generation);
  const messages: ModelMessage[] = [{ role: 'user', content: test.prompt }];
  const calls: EvalCall[] = [];
  let answer = '';
  const base = { name: test.name, ...(test.description ? { description: test.description } : {}) };
  const time = () => Math.round(performance.now() - started) / 1000;
  try {
    for (let turn = 0; ; turn++) {
      if (turn >= kMaxTurns) throw new Error(`the model was still calling tools after ${kMaxTurns} turns`);
      const response = await model.provider.complete({ model: model.name, messages, tools, settings: model.settings });
      answer = response.text;
      if (response.toolCalls.length === 0) break;
      messages.push({ role: 'assistant', content: response.text, toolCalls: response.toolCalls });
      for (const call of response.toolCalls) {
        const record: EvalCall = { tool: call.name, args: { ...call.arguments } };
        calls.push(record);
        const endpoint = generation.tools.get(call.name);
        try {
          if (!endpoint) throw new Errors.MXCP_E_ENDPOINT_NOT_FOUND({ name: call.name, kind: 'tool' }, { location: { path: call.name } });
          const result = await invokeEndpoint(endpoint, call.arguments, { transport: 'cli', ...(user ? { user } : {}) });
          messages.push({
            role: 'tool',
            toolCallId: call.id,
            content: JSON.stringify(result, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)) ?? 'null',
          });
        } catch (err) {
          record.error = describeError(err);
          messages.push({ role: 'tool', toolCallId: call.id, content: record.error, isError: true });
        }
      }
    }
    const failures = checkAssertions(test, calls, answer);
    return { ...base, status: failures.length ? 'failed' : 'passed', failures, tool_calls: calls, answer, time: time() };
  } catch (err) {
    return { ...base, status: 'error', failures: [], error: describeError(err), tool_calls: calls, answer, time: time() };
  }
}

export async function runSuite(
  generation: Generation,
  suite: EvalSuite,
  options: { model?: string; user?: UserContext; onTest?: (r: EvalTestResult) => void },
): Promise<EvalSuiteResult> {
  const model = resolveModel(generation, suite, options.model);
  const tests: EvalTestResult[] = [];
  for (const test of suite.tests) {
    const user = options.user ?? (test.user_context ? userContextFromJson(test.user_context, 'test', 'user_context') : undefined);
    const r = await runTest(generation, model, test, user);
    tests.push(r);
    options.onTest?.(r);
  }
  return {
    suite: suite.suite,
    path: suite.path,
    model: model.name,
    status: tests.every((t) => t.status === 'passed') ? 'passed' : 'failed',
    tests,
  };
}
