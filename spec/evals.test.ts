/**
 * `mxcp evals` through the real CLI. No LLM is reachable from this machine, so each test runs the eval loop
 * against a local HTTP server that speaks the documented wire format of the Anthropic Messages API or of
 * OpenAI Chat Completions and answers with scripted replies (a tool call, then an answer). The tool calls
 * run through the real pipeline on a real DuckDB file, and the requests the server saw are checked too.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { writeUserConfig } from './support/coded.js';
import { type TempProject, tempProject } from './support/project.js';

type Reply = { status?: number; headers?: Record<string, string>; body?: unknown; raw?: string; hang?: boolean };
interface Seen {
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

let server: Server;
let url: string;
let script: Reply[] = [];
let seen: Seen[] = [];
let project: TempProject;
const kKey = 'sk-test-canary-0451';

beforeAll(async () => {
  server = createServer((req, res) => {
    let text = '';
    req.on('data', (d: Buffer) => {
      text += d.toString();
    });
    req.on('end', () => {
      seen.push({ path: req.url ?? '', headers: req.headers, body: JSON.parse(text) as Record<string, unknown> });
      const reply = script.shift() ?? { status: 500, body: { error: { message: 'script exhausted' } } };
      if (reply.hang) return; // never answers: the client's timeout must end the wait
      res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
      res.end(reply.raw ?? JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  project = tempProject({
    'tools/get_weather.yml':
      'mxcp: 1\ntool:\n  name: get_weather\n  description: Current weather in a city.\n  parameters:\n    - {name: city, type: string, description: City name}\n  return: {type: string}\n  source:\n    code: "SELECT \'sunny in \' || $city"\n',
    'tools/delete_city.yml':
      'mxcp: 1\ntool:\n  name: delete_city\n  description: Deletes a city.\n  parameters:\n    - {name: city, type: string, description: City name}\n  return: {type: string}\n  source:\n    code: "SELECT \'deleted \' || $city"\n',
    'evals/weather.yml': `mxcp: 1
suite: weather
description: The model looks weather up and never deletes
model: claude-test
tests:
  - name: paris
    prompt: What is the weather in Paris?
    assertions:
      must_call: [{tool: get_weather, args: {city: Paris}}]
      must_not_call: [delete_city]
      answer_contains: [sunny]
      answer_not_contains: [rain]
`,
  });
  writeUserConfig(
    project,
    `mxcp: 1\nmodels:\n  default: claude-test\n  models:\n    claude-test: {type: claude, api_key: "\${FAKE_KEY}", base_url: "${url}", timeout: 2, max_retries: 1}\n    gpt-test: {type: openai, api_key: "\${FAKE_KEY}", base_url: "${url}/v1", timeout: 2, max_retries: 1}\n    no-key: {type: claude, base_url: "${url}"}\n`,
  );
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  project.remove();
});
beforeEach(() => {
  script = [];
  seen = [];
});

const evals = (args: string[] = []) =>
  runCli(['evals', ...args, '--json-output'], { cwd: project.root, home: project.home, env: { FAKE_KEY: kKey }, timeoutMs: 60_000 });
interface Result {
  status: string;
  suites: {
    suite: string;
    model: string;
    status: string;
    tests: {
      name: string;
      status: string;
      failures: string[];
      error?: string;
      tool_calls: { tool: string; args: unknown }[];
      answer: string;
    }[];
  }[];
}
const testOf = (r: Awaited<ReturnType<typeof evals>>) => r.json<{ result: Result }>().result.suites[0]!.tests[0]!;

const anthropicToolUse = {
  content: [
    { type: 'text', text: 'Let me check.' },
    { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
  ],
  stop_reason: 'tool_use',
  usage: { input_tokens: 10, output_tokens: 5 },
};
const anthropicAnswer = (text: string) => ({
  content: [{ type: 'text', text }],
  stop_reason: 'end_turn',
  usage: { input_tokens: 20, output_tokens: 8 },
});

describe('mxcp evals against the Anthropic Messages API format', () => {
  it('passes: the model calls the tool, gets its real result, and answers', async () => {
    script = [{ body: anthropicToolUse }, { body: anthropicAnswer('It is sunny in Paris.') }];
    const r = await evals(['weather']);
    expect(r.code, r.stderr).toBe(0);
    expect(testOf(r)).toMatchObject({
      status: 'passed',
      tool_calls: [{ tool: 'get_weather', args: { city: 'Paris' } }],
      answer: 'It is sunny in Paris.',
    });
    // What went over the wire: the documented headers, tools with input_schema, the tool result sent back.
    expect(seen[0]).toMatchObject({ path: '/v1/messages', headers: { 'x-api-key': kKey, 'anthropic-version': '2023-06-01' } });
    expect(seen[0]!.body.tools).toContainEqual({
      name: 'get_weather',
      description: 'Current weather in a city.',
      input_schema: expect.objectContaining({ type: 'object', required: ['city'] }),
    });
    expect((seen[1]!.body.messages as unknown[]).at(-1)).toEqual({
      role: 'user',
      content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: '"sunny in Paris"' }],
    });
  });

  it('fails (exit 1) with the unmet assertions named', async () => {
    script = [
      { body: { content: [{ type: 'tool_use', id: 't1', name: 'delete_city', input: { city: 'Paris' } }], stop_reason: 'tool_use' } },
      { body: anthropicAnswer('Paris is gone; expect rain.') },
    ];
    const r = await evals();
    expect(r.code).toBe(1);
    expect(testOf(r).status).toBe('failed');
    expect(testOf(r).failures).toEqual([
      'Expected call to \'get_weather\' with {"city":"Paris"}, but it was not called',
      "Tool 'delete_city' was called but must not be",
      "Answer does not contain 'sunny'",
      "Answer contains 'rain' but must not",
    ]);
  });

  it('429 with Retry-After is retried, then passes', async () => {
    script = [
      { status: 429, headers: { 'retry-after': '0' }, body: { type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } } },
      { body: anthropicToolUse },
      { body: anthropicAnswer('sunny') },
    ];
    const r = await evals();
    expect(testOf(r).status).toBe('passed');
    expect(seen).toHaveLength(3);
  });

  it('429 on every attempt: a coded error with the API message, never the key', async () => {
    script = [0, 1].map(() => ({
      status: 429,
      headers: { 'retry-after': '0' },
      body: { type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } },
    }));
    const r = await evals();
    expect(r.code).toBe(1);
    expect(testOf(r).error).toBe('Anthropic API answered HTTP 429 after 2 attempt(s): slow down (MXCP_E_MODEL_HTTP)');
    expect(r.stdout + r.stderr).not.toContain(kKey);
  });

  it('401 is not retried', async () => {
    script = [{ status: 401, body: { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } } }];
    const r = await evals();
    expect(testOf(r).error).toContain('HTTP 401 after 1 attempt(s): invalid x-api-key');
    expect(seen).toHaveLength(1);
    expect(r.stdout + r.stderr).not.toContain(kKey);
  });

  it('a server that never answers ends in MXCP_E_MODEL_TIMEOUT after the configured timeout and retries', async () => {
    script = [{ hang: true }, { hang: true }];
    const r = await evals();
    expect(testOf(r).error).toBe('Anthropic API did not answer within 2 s (2 attempt(s)) (MXCP_E_MODEL_TIMEOUT)');
  });

  it('a body that is not JSON is MXCP_E_MODEL_BAD_RESPONSE', async () => {
    script = [{ raw: '<html>gateway</html>' }];
    const r = await evals();
    expect(testOf(r).error).toMatch(/Anthropic API sent a response mxcp cannot read: the body is not JSON.*\(MXCP_E_MODEL_BAD_RESPONSE\)/);
  });
});

describe('mxcp evals against the OpenAI Chat Completions format', () => {
  it('passes with --model, tool call arguments as JSON text, and a tool message sent back', async () => {
    script = [
      {
        body: {
          choices: [
            {
              message: {
                role: 'assistant',
                content: null,
                tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
              },
              finish_reason: 'tool_calls',
            },
          ],
        },
      },
      {
        body: {
          choices: [{ message: { role: 'assistant', content: 'Sunny in Paris.' }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 5, completion_tokens: 3 },
        },
      },
    ];
    const r = await evals(['weather', '--model', 'gpt-test']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json<{ result: Result }>().result.suites[0]!.model).toBe('gpt-test');
    expect(seen[0]).toMatchObject({ path: '/v1/chat/completions', headers: { authorization: `Bearer ${kKey}` } });
    expect(seen[0]!.body.tools).toContainEqual({
      type: 'function',
      function: expect.objectContaining({ name: 'get_weather', parameters: expect.objectContaining({ type: 'object' }) }),
    });
    expect((seen[1]!.body.messages as unknown[]).slice(-2)).toEqual([
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '"sunny in Paris"' },
    ]);
  });

  it('tool call arguments that are not JSON are MXCP_E_MODEL_BAD_RESPONSE', async () => {
    script = [
      {
        body: {
          choices: [
            { message: { tool_calls: [{ id: 'c', type: 'function', function: { name: 'get_weather', arguments: '{city: Paris' } }] } },
          ],
        },
      },
    ];
    const r = await evals(['--model', 'gpt-test']);
    expect(testOf(r).error).toMatch(/tool call arguments are not JSON.*MXCP_E_MODEL_BAD_RESPONSE/);
  });
});

describe('mxcp evals configuration errors', () => {
  it('an unknown suite, a model without a key, and an invalid suite file are coded errors', async () => {
    const unknown = await runCli(['evals', 'nope'], { cwd: project.root, home: project.home, env: { FAKE_KEY: kKey } });
    expect(unknown.stderr).toContain("Eval suite 'nope' not found (suites: weather) (MXCP_E_EVAL_SUITE_NOT_FOUND)");
    const noKey = await evals(['--model', 'no-key']);
    expect(testOf(noKey).error).toContain('MXCP_E_MODEL_API_KEY_MISSING');
    const bad = tempProject({
      'evals/bad.yml': 'mxcp: 1\nsuite: bad\ntests:\n  - name: t\n    prompt: hi\n    assertions: {must_call: [{name: x}]}\n',
    });
    try {
      const r = await runCli(['evals'], { cwd: bad.root, home: bad.home });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/evals\/bad\.yml:6:\d+: Eval suite validation error: .*MXCP_E_EVAL_SUITE_INVALID/);
    } finally {
      bad.remove();
    }
  });
});
