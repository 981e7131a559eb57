// Sends the cases of http-cases.mjs to a running daemon and judges every answer. A failure is: no answer
// within the deadline (a hang), a 5xx, a JSON body that does not parse, or a JSON-RPC message that breaks
// the JSON-RPC 2.0 response rules. A connection the server closes on a request it cannot parse is fine.
import http from 'node:http';
import net from 'node:net';
import { cases } from './http-cases.mjs';

const kDeadlineMs = 20_000;

/** Opens a legacy-era session so cases that carry `Mcp-Session-Id: SESSION` reach a live session. */
export async function openSession(base) {
  const res = await fetch(`${base}/mcp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'fuzz', version: '1' } },
    }),
  });
  await res.text();
  if (res.status !== 200) throw new Error(`initialize failed with status ${res.status}`);
  // A stateless daemon gives no session: cases then carry a made-up id, which it must ignore or refuse.
  return res.headers.get('mcp-session-id') ?? 'no-session-in-stateless-mode';
}

function isRpcMessage(m) {
  if (!m || typeof m !== 'object' || Array.isArray(m) || m.jsonrpc !== '2.0') return 'not a JSON-RPC 2.0 object';
  if ('method' in m) return typeof m.method === 'string' ? undefined : 'method is not a string';
  if (!('id' in m)) return 'response without id';
  if ('result' in m === 'error' in m) return 'response needs exactly one of result and error';
  if ('error' in m && (!Number.isInteger(m.error?.code) || typeof m.error?.message !== 'string'))
    return 'error without integer code and string message';
  return undefined;
}

function judgeJson(text) {
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch {
    return `JSON body does not parse: ${text.slice(0, 120)}`;
  }
  const messages = Array.isArray(parsed) ? parsed : [parsed];
  // A transport-level error body ({"error": ...} without jsonrpc) is allowed on 4xx only; caller decides.
  for (const m of messages) {
    const bad = isRpcMessage(m);
    if (bad) return `${bad}: ${JSON.stringify(m).slice(0, 160)}`;
  }
  return undefined;
}

function judgeEvents(text) {
  for (const block of text.split(/\r?\n\r?\n/)) {
    const data = block
      .split(/\r?\n/)
      .filter((l) => l.startsWith('data:'))
      .map((l) => l.slice(5).replace(/^ /, ''))
      .join('\n');
    if (!data) continue;
    // Legacy SSE sends the POST URL as the `endpoint` event's data, not JSON.
    if (/^event: ?endpoint$/m.test(block)) continue;
    const bad = judgeJson(data);
    if (bad) return `SSE event: ${bad}`;
  }
  return undefined;
}

/** The verdict on one HTTP response: undefined when well-formed. */
function judge(method, status, contentType, text) {
  if (status >= 500) return `status ${status}: ${text.slice(0, 160)}`;
  if (status < 100 || status > 599) return `impossible status ${status}`;
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (method === 'HEAD') return undefined;
  if (type === 'application/json') return judgeJson(text);
  if (type === 'text/event-stream') return judgeEvents(text);
  if (status >= 200 && status < 300 && text.length > 0) return `2xx body of type '${contentType}'`;
  return undefined;
}

function sendHttp(url, c, session) {
  return new Promise((resolve) => {
    const headers = { ...c.headers };
    // The live session is shared by all cases: a DELETE of it would turn every later case into a 404.
    if (headers['mcp-session-id'] === 'SESSION') headers['mcp-session-id'] = c.method === 'DELETE' ? 'not-the-live-session' : session;
    if (c.method !== 'GET' && c.method !== 'HEAD') headers['content-length'] = String(c.body.length);
    let settled = false;
    const done = (v) => {
      if (!settled) {
        settled = true;
        clearTimeout(timer);
        resolve(v);
      }
    };
    const req = http.request(`${url}${c.path}`, { method: c.method, headers, agent: false }, (res) => {
      const chunks = [];
      // A GET stream stays open by design, and may say nothing until its keep-alive: its status and type
      // are what there is to judge.
      if (c.method === 'GET' && (res.headers['content-type'] ?? '').includes('text/event-stream')) {
        res.destroy();
        return done({ status: res.statusCode, verdict: res.statusCode === 200 ? undefined : `event stream with status ${res.statusCode}` });
      }
      res.on('data', (d) => chunks.push(d));
      const finish = () => {
        const text = Buffer.concat(chunks).toString('utf8');
        done({ status: res.statusCode, verdict: judge(c.method, res.statusCode ?? 0, res.headers['content-type'], text) });
      };
      res.on('end', finish);
      res.on('close', finish);
      res.on('error', finish);
    });
    const timer = setTimeout(() => {
      req.destroy();
      done({ status: 0, verdict: `no answer within ${kDeadlineMs} ms` });
    }, kDeadlineMs);
    // The server may answer early (413) and close while we still write: that is its right.
    req.on('error', (e) =>
      done({ status: 0, verdict: e.code === 'ECONNRESET' || e.code === 'EPIPE' ? undefined : `client error ${e.code ?? e.message}` }),
    );
    if (c.method === 'GET' || c.method === 'HEAD') req.end();
    else req.end(c.body);
  });
}

/** Writes bytes to a socket; the answer, if any, must start with a valid HTTP status line. */
function sendRaw(port, bytes, { trickle = 0, stopHalfway = false } = {}) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks = [];
    let settled = false;
    const done = (verdict) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ status: 0, verdict });
    };
    const judgeReply = () => {
      const text = Buffer.concat(chunks).toString('latin1');
      if (text.length === 0) return undefined; // closed without a word: allowed for unparsable input
      return /^HTTP\/1\.1 [1-5]\d\d /.test(text) && !/^HTTP\/1\.1 5/.test(text)
        ? undefined
        : `raw reply is not a valid non-5xx HTTP response: ${JSON.stringify(text.slice(0, 80))}`;
    };
    // An incomplete request is held by the server until its own timeout; after 3 s of silence we give up
    // on it (not a hang: the daemon is not stuck, the request is).
    const timer = setTimeout(() => done(judgeReply()), trickle ? kDeadlineMs : 3_000);
    socket.on('data', (d) => {
      chunks.push(d);
      if (Buffer.concat(chunks).includes('\r\n\r\n')) setTimeout(() => done(judgeReply()), 200);
    });
    socket.on('close', () => done(judgeReply()));
    socket.on('error', () => done(judgeReply()));
    socket.on('connect', async () => {
      if (!trickle) return void socket.write(bytes);
      const end = stopHalfway ? Math.floor(bytes.length / 2) : bytes.length;
      for (let i = 0; i < end && !settled; i += trickle) {
        socket.write(bytes.subarray(i, Math.min(i + trickle, end)));
        await new Promise((r) => setTimeout(r, 10));
      }
      if (stopHalfway) done(undefined);
    });
  });
}

function slowBytes(session) {
  const body = JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/call', params: { name: 'add', arguments: { a: 1, b: 2 } } });
  return Buffer.from(
    `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nMcp-Session-Id: ${session}\r\nMCP-Protocol-Version: 2025-06-18\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/**
 * Runs `count` cases from `seed` with `concurrency` in flight. Returns counts by status and the failures
 * (each with its case index, so `seed` + index replays it).
 */
export async function fuzzHttp({ base, seed, count, concurrency = 8, onProgress }) {
  const port = Number(new URL(base).port);
  const session = await openSession(base);
  const byStatus = {};
  const failures = [];
  let index = 0;
  const iterator = cases(seed, count);
  const worker = async () => {
    for (;;) {
      const next = iterator.next();
      if (next.done) return;
      const c = next.value;
      const i = index++;
      const r =
        c.kind === 'raw'
          ? await sendRaw(port, c.raw)
          : c.kind === 'slow'
            ? await sendRaw(port, slowBytes(session), { trickle: c.chunk * 8, stopHalfway: c.stopHalfway })
            : await sendHttp(base, c, session);
      byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
      if (r.verdict)
        failures.push({
          index: i,
          kind: c.kind,
          method: c.method,
          path: c.path,
          headers: c.headers,
          body: c.body?.subarray(0, 200).toString('latin1'),
          verdict: r.verdict,
        });
      if (onProgress && i % 1000 === 0) onProgress(i);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { sent: index, byStatus, failures };
}
