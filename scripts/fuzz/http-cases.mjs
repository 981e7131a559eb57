// Hostile HTTP requests for the daemon's MCP endpoint, generated from a seed so a failure replays exactly.
// Shared by scripts/fuzz/http.mjs (the long run) and spec/fuzz.http.test.ts (a fixed-seed sample in CI).
//
// A case is { kind, method, path, headers, body, raw?, slow? }: `raw` cases are written byte for byte to a
// socket (header abuse that node:http refuses to send), `slow` cases trickle their body.
import fc from 'fast-check';

const kVersions = ['2025-03-26', '2025-06-18', '2025-11-25', '2026-07-28', '2024-11-05', '', 'garbage', '9999-99-99'];
const kMethods = [
  'initialize',
  'notifications/initialized',
  'ping',
  'tools/list',
  'tools/call',
  'resources/list',
  'resources/read',
  'resources/templates/list',
  'prompts/list',
  'prompts/get',
  'logging/setLevel',
  'completion/complete',
  'server/discover',
  'notifications/cancelled',
  'no/such/method',
  '',
  'rpc.discover',
  '__proto__',
  'constructor',
];
const kTools = ['echo', 'add', 'notify', 'no_such_tool', '', '__proto__'];

/** Any JSON value, including the awkward ones: deep, wide, unicode, big numbers. */
const anyJson = fc.oneof(
  { depthSize: 'small' },
  fc.jsonValue({ maxDepth: 4 }),
  fc.constantFrom(null, true, false, 0, -1, 1e308, -0, '', '\u0000', '\ud800', '💥', 'a'.repeat(10_000)),
  fc.array(fc.integer(), { maxLength: 2_000 }),
  fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 })),
);

/** A JSON-RPC message with each field sometimes right, sometimes of the wrong type, sometimes absent. */
const message = fc.record(
  {
    jsonrpc: fc.oneof(fc.constant('2.0'), fc.constant('2.0'), fc.constantFrom('1.0', 2, null, '', '2.0 ')),
    id: fc.oneof(fc.integer(), fc.string({ maxLength: 20 }), fc.constantFrom(null, 1.5, true, [], {}, -0)),
    method: fc.oneof(fc.constantFrom(...kMethods), fc.string({ maxLength: 40 }), anyJson),
    params: fc.oneof(
      fc.record(
        {
          name: fc.oneof(fc.constantFrom(...kTools), anyJson),
          arguments: fc.oneof(
            anyJson,
            fc.record({ a: anyJson, b: anyJson, text: anyJson, mode: anyJson, steps: anyJson }, { requiredKeys: [] }),
          ),
        },
        { requiredKeys: [] },
      ),
      fc.record(
        { protocolVersion: fc.oneof(fc.constantFrom(...kVersions), anyJson), capabilities: anyJson, clientInfo: anyJson },
        { requiredKeys: [] },
      ),
      fc.record(
        { uri: fc.oneof(fc.string(), anyJson), cursor: fc.oneof(fc.string(), anyJson), level: anyJson, _meta: anyJson },
        { requiredKeys: [] },
      ),
      anyJson,
    ),
  },
  { requiredKeys: [] },
);

const text = (s) => Buffer.from(s, 'utf8');

/** Bodies: well-formed messages, batches, and bytes that are not JSON at all. */
const body = fc.oneof(
  { weight: 6, arbitrary: message.map((m) => text(JSON.stringify(m))) },
  { weight: 2, arbitrary: fc.array(message, { minLength: 0, maxLength: 5 }).map((b) => text(JSON.stringify(b))) },
  // Duplicate ids inside one batch.
  { weight: 1, arbitrary: message.map((m) => text(JSON.stringify([m, m, { ...m, id: 7 }, { ...m, id: 7 }]))) },
  // Truncated JSON: a valid message cut anywhere.
  {
    weight: 2,
    arbitrary: fc.tuple(message, fc.double({ min: 0, max: 1, noNaN: true })).map(([m, f]) => {
      const s = JSON.stringify(m);
      return text(s.slice(0, Math.floor(s.length * f)));
    }),
  },
  // Deep nesting (arrays or objects), past any sane recursion depth.
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 1_000, max: 200_000 }), fc.boolean())
      .map(([d, obj]) => text(obj ? `${'{"a":'.repeat(d)}1${'}'.repeat(d)}` : `${'['.repeat(d)}${']'.repeat(d)}`)),
  },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 1_000, max: 100_000 })
      .map((d) =>
        text(
          `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"text":${'['.repeat(d)}${']'.repeat(d)}}}}`,
        ),
      ),
  },
  // Huge strings and arrays, some over the 4 MiB body limit.
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 100_000, max: 6_000_000 })
      .map((n) => text(`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"text":"${'x'.repeat(n)}"}}}`)),
  },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 10_000, max: 900_000 })
      .map((n) =>
        text(`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"add","arguments":{"a":[${'1,'.repeat(n)}1],"b":2}}}`),
      ),
  },
  // Invalid UTF-8 inside a string, and random bytes.
  {
    weight: 1,
    arbitrary: fc
      .uint8Array({ minLength: 1, maxLength: 8 })
      .map((bad) =>
        Buffer.concat([
          text('{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"text":"'),
          Buffer.from([0xff, 0xc3, ...bad]),
          text('"}}}'),
        ]),
      ),
  },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 512 }).map((b) => Buffer.from(b)) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      text(''),
      text('null'),
      text('[]'),
      text('{}'),
      text('"x"'),
      text('1e999999'),
      text('\ufeff{"jsonrpc":"2.0"}'),
    ),
  },
);

const contentType = fc.oneof(
  { weight: 6, arbitrary: fc.constant('application/json') },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'text/plain',
      'application/json; charset=latin1',
      'multipart/form-data; boundary=x',
      '',
      'application/json, text/html',
      'APPLICATION/JSON',
    ),
  },
  { weight: 1, arbitrary: fc.constant(undefined) },
);
const accept = fc.oneof(
  { weight: 6, arbitrary: fc.constant('application/json, text/event-stream') },
  { weight: 1, arbitrary: fc.constantFrom('text/event-stream', 'application/json', '*/*', 'text/html', '') },
  { weight: 1, arbitrary: fc.constant(undefined) },
);

/** `arb` in about one case out of `oneIn`, else absent: each abuse is rare enough to let the others through. */
const rarely = (arb, oneIn = 8) => fc.oneof({ weight: oneIn - 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });
const token = (max) => fc.string({ maxLength: max }).filter((s) => /^[\x21-\x7e]*$/.test(s));

/** Headers that node:http will send: wrong versions, bogus sessions, foreign hosts and origins, floods. */
const headers = fc
  .record({
    'content-type': contentType,
    accept,
    'mcp-protocol-version': fc.oneof(fc.constant(undefined), fc.constantFrom(...kVersions)),
    'mcp-session-id': fc.oneof(
      { weight: 3, arbitrary: fc.constant('SESSION') },
      { weight: 1, arbitrary: fc.constant(undefined) },
      { weight: 1, arbitrary: fc.oneof(fc.uuid(), token(300)) },
    ),
    'last-event-id': rarely(token(40)),
    host: rarely(fc.constantFrom('evil.example', 'localhost', '127.0.0.1:1', '[::1]', 'localhost.evil.example'), 12),
    origin: rarely(fc.constantFrom('http://evil.example', 'null', 'http://localhost', 'file://'), 12),
    'x-filler': rarely(
      fc
        .oneof(
          { weight: 4, arbitrary: fc.integer({ min: 1, max: 8_000 }) },
          { weight: 1, arbitrary: fc.integer({ min: 8_000, max: 60_000 }) },
        )
        .map((n) => 'h'.repeat(n)),
      15,
    ),
  })
  .map((h) => Object.fromEntries(Object.entries(h).filter(([, v]) => v !== undefined)));

const method = fc.oneof(
  { weight: 8, arbitrary: fc.constant('POST') },
  { weight: 2, arbitrary: fc.constantFrom('GET', 'DELETE', 'PUT', 'PATCH', 'OPTIONS', 'HEAD') },
);
const path = fc.oneof(
  { weight: 9, arbitrary: fc.constant('/mcp') },
  {
    weight: 1,
    arbitrary: fc.constantFrom('/mcp/', '/mcp?x=1', '/messages/', '/messages/?session_id=x', '/sse', '//mcp', '/%2e%2e/mcp', '/mcp#frag'),
  },
);

/** The modern era wants `Mcp-Method` / `Mcp-Name` to repeat the body: mostly they do, sometimes they lie. */
function withRoutingHeaders({ echo, ...c }) {
  if (!echo) return c;
  let m;
  try {
    m = JSON.parse(c.body.toString('utf8'));
  } catch {
    return c;
  }
  if (!m || typeof m !== 'object' || typeof m.method !== 'string' || !/^[\x20-\x7e]*$/.test(m.method)) return c;
  const target = m.params?.name ?? m.params?.uri;
  const name = typeof target === 'string' && /^[\x20-\x7e]*$/.test(target) ? { 'mcp-name': target } : {};
  return { ...c, headers: { ...c.headers, 'mcp-method': m.method, ...name } };
}

const request = fc.record({ kind: fc.constant('http'), method, path, headers, body, echo: fc.boolean() }).map(withRoutingHeaders);

/**
 * A request that passes the transport (right headers, live session or modern `_meta`, a real method) so
 * that the fuzzed part, the params and tool arguments, reaches the dispatcher, the type system and SQL.
 */
const kDeepMethods = [
  'tools/call',
  'tools/call',
  'tools/call',
  'resources/read',
  'prompts/get',
  'tools/list',
  'completion/complete',
  'logging/setLevel',
  'ping',
];
const argumentValue = fc.oneof(
  { weight: 3, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.string({ maxLength: 50 }), fc.boolean(), fc.constant(null)) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      "'; DROP TABLE x; --",
      '$a',
      '1 OR 1=1',
      ')); SELECT 1; --',
      'NaN',
      '-0',
      '1e400',
      '0x10',
      ' 5 ',
      '\u0000',
      'shout',
      'plain',
    ),
  },
  { weight: 1, arbitrary: anyJson },
);
const deepRequest = fc
  .record({
    modern: fc.boolean(),
    id: fc.integer({ min: 1, max: 1e9 }),
    method: fc.constantFrom(...kDeepMethods),
    name: fc.constantFrom('echo', 'add', 'notify', 'greet', 'nope'),
    uri: fc.oneof(
      fc.constantFrom('users://1', 'users://2', 'users://x', 'users://', 'users://1/2', 'readme://x', 'file:///etc/passwd'),
      fc.string({ maxLength: 30 }),
    ),
    args: fc.dictionary(fc.constantFrom('text', 'mode', 'a', 'b', 'steps', 'name', 'tone', 'id', 'extra', '__proto__'), argumentValue, {
      maxKeys: 4,
    }),
    level: fc.constantFrom('debug', 'info', 'loud', 7),
  })
  .map(({ modern, id, method, name, uri, args, level }) => {
    const params =
      method === 'resources/read'
        ? { uri }
        : method === 'logging/setLevel'
          ? { level }
          : method === 'completion/complete'
            ? { ref: { type: 'ref/prompt', name }, argument: { name: 'tone', value: args.text ?? '' } }
            : { name, arguments: args };
    const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    if (modern) {
      params._meta = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} };
      Object.assign(headers, { 'mcp-protocol-version': '2026-07-28', 'mcp-method': method });
      const target = params.name ?? params.uri;
      if (typeof target === 'string' && /^[\x20-\x7e]*$/.test(target) && method !== 'completion/complete') headers['mcp-name'] = target;
    } else Object.assign(headers, { 'mcp-protocol-version': '2025-06-18', 'mcp-session-id': 'SESSION' });
    return { kind: 'http', method: 'POST', path: '/mcp', headers, body: text(JSON.stringify({ jsonrpc: '2.0', id, method, params })) };
  });

/** Requests node:http refuses to produce: broken request lines and header syntax, lying lengths. */
const rawRequest = fc
  .constantFrom(
    'POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n{"jsonrpc"',
    'POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -1\r\n\r\n',
    'POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!',
    'POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n',
    'POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n',
    'POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header: x\r\n\r\n',
    'POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nX: \u0000\u0001\r\n\r\n',
    'POST /mcp HTTP/9.9\r\nHost: 127.0.0.1\r\n\r\n',
    'BREW /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n',
    'POST\r\n\r\n',
    '\r\n\r\n\r\n',
    'GET / HTTP/1.1\r\n',
    `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\n${'X-A: b\r\n'.repeat(3_000)}\r\n`,
    `POST /${'a'.repeat(70_000)} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`,
    'POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nContent-Length: 2\r\n\r\n{}POST /mcp HTTP/1.1\r\n\r\n',
  )
  .map((raw) => ({ kind: 'raw', raw: Buffer.from(raw, 'latin1') }));

/** A valid-looking call whose body arrives a few bytes at a time (slow client), or stops halfway. */
const slowRequest = fc.record({ kind: fc.constant('slow'), stopHalfway: fc.boolean(), chunk: fc.integer({ min: 1, max: 16 }) });

export const hostileRequest = fc.oneof(
  { weight: 45, arbitrary: deepRequest },
  { weight: 45, arbitrary: request },
  { weight: 8, arbitrary: rawRequest },
  { weight: 2, arbitrary: slowRequest },
);

/** `count` cases from `seed`, lazily, in a fixed order. */
export function* cases(seed, count) {
  const batch = 500;
  for (let done = 0; done < count; done += batch) {
    const n = Math.min(batch, count - done);
    yield* fc.sample(hostileRequest, { seed: seed + done, numRuns: n });
  }
}
