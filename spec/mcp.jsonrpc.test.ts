/** JSON-RPC framing (daemon/mcp/jsonrpc.ts) and the one mapping of internal errors to wire errors (wire-errors.ts). */
import { describe, expect, it } from 'vitest';
import { classifyMessage, errorResponse, parseJson, RawResult, requestIdOf, resultResponse } from '../daemon/mcp/jsonrpc.js';
import { unsupportedVersion } from '../daemon/mcp/request-meta.js';
import { toWireFailure } from '../daemon/mcp/wire-errors.js';
import { Errors } from '../sdk/errors/index.js';

function expectCoded(fn: () => unknown, code: string): void {
  expect(fn).toThrow(expect.objectContaining({ code }));
}

describe('classifyMessage', () => {
  it('tells requests, notifications and responses apart', () => {
    expect(classifyMessage({ jsonrpc: '2.0', id: 1, method: 'ping' })).toEqual({
      kind: 'request',
      id: 1,
      method: 'ping',
      params: undefined,
    });
    expect(classifyMessage({ jsonrpc: '2.0', id: 'a', method: 'x', params: { y: 1 } })).toMatchObject({
      kind: 'request',
      id: 'a',
      params: { y: 1 },
    });
    expect(classifyMessage({ jsonrpc: '2.0', method: 'notifications/initialized' })).toMatchObject({ kind: 'notification' });
    expect(classifyMessage({ jsonrpc: '2.0', id: 4, result: {} })).toEqual({ kind: 'response', id: 4 });
    expect(classifyMessage({ jsonrpc: '2.0', id: null, error: { code: 1, message: 'x' } })).toEqual({ kind: 'response', id: null });
  });

  it('refuses batches and malformed envelopes with coded errors', () => {
    expectCoded(() => classifyMessage([{ jsonrpc: '2.0', id: 1, method: 'ping' }]), 'MXCP_E_MCP_BATCH_UNSUPPORTED');
    for (const bad of [
      null,
      3,
      'x',
      {},
      { jsonrpc: '1.0', id: 1, method: 'x' },
      { jsonrpc: '2.0', id: 1, method: 5 },
      { jsonrpc: '2.0', id: 1.5, method: 'x' },
      { jsonrpc: '2.0', id: {}, method: 'x' },
      { jsonrpc: '2.0', id: 1, method: 'x', params: [1] },
      { jsonrpc: '2.0', id: 1 },
    ]) {
      expectCoded(() => classifyMessage(bad), 'MXCP_E_MCP_INVALID_REQUEST');
    }
  });

  it('recovers a usable id from a malformed message', () => {
    expect(requestIdOf({ id: 7 })).toBe(7);
    expect(requestIdOf({ id: 'x' })).toBe('x');
    expect(requestIdOf({ id: 1.5 })).toBeNull();
    expect(requestIdOf([1])).toBeNull();
  });

  it('reports unparsable text as MXCP_E_MCP_PARSE_ERROR', () => {
    expectCoded(() => parseJson('{'), 'MXCP_E_MCP_PARSE_ERROR');
  });
});

describe('responses', () => {
  it('splices raw results and serializes others, BigInt included', () => {
    expect(resultResponse(1, new RawResult('{"a":1}'))).toBe('{"jsonrpc":"2.0","id":1,"result":{"a":1}}');
    expect(JSON.parse(resultResponse('x', { n: 5n, big: 2n ** 70n }))).toEqual({
      jsonrpc: '2.0',
      id: 'x',
      result: { n: 5, big: '1180591620717411303424' },
    });
  });

  it('puts only code, message and data on the wire', () => {
    const failure = toWireFailure(unsupportedVersion('v9'));
    expect(JSON.parse(errorResponse(3, failure))).toEqual({
      jsonrpc: '2.0',
      id: 3,
      error: {
        code: -32022,
        message: expect.stringContaining('v9'),
        data: { requested: 'v9', supported: ['2026-07-28', '2025-11-25', '2025-06-18', '2025-03-26'] },
      },
    });
  });
});

describe('toWireFailure', () => {
  it('maps coded errors to their JSON-RPC code and HTTP status, per era', () => {
    expect(toWireFailure(new Errors.MXCP_E_MCP_METHOD_NOT_FOUND({ method: 'x' }))).toMatchObject({ code: -32601, status: 200 });
    expect(toWireFailure(new Errors.MXCP_E_MCP_METHOD_NOT_FOUND({ method: 'x' }), 'modern')).toMatchObject({ code: -32601, status: 404 });
    expect(toWireFailure(new Errors.MXCP_E_MCP_UNKNOWN_RESOURCE({ uri: 'a://b' }))).toMatchObject({ code: -32002 });
    expect(toWireFailure(new Errors.MXCP_E_MCP_UNKNOWN_RESOURCE({ uri: 'a://b' }), 'modern')).toMatchObject({ code: -32602 });
    expect(toWireFailure(new Errors.MXCP_E_MCP_HEADER_MISMATCH({ detail: 'x' }))).toMatchObject({ code: -32020, status: 400 });
    expect(toWireFailure(new Errors.MXCP_E_MCP_BODY_TOO_LARGE({ limit: 1 }))).toMatchObject({ status: 413 });
    expect(toWireFailure(new Errors.MXCP_E_MCP_SHUTTING_DOWN())).toMatchObject({ code: -32000, status: 503 });
  });

  it('never puts the message or stack of an unexpected error on the wire', () => {
    const secret = new Error('password=hunter2 at /srv/app/secret.ts:10');
    const failure = toWireFailure(secret);
    expect(failure).toMatchObject({ code: -32603, message: 'Internal error', expected: false });
    expect(errorResponse(1, failure)).not.toContain('hunter2');
    // A coded error from elsewhere (the database) is not a protocol error either.
    expect(toWireFailure(new Errors.MXCP_E_DB_QUERY({ detail: 'x' }))).toMatchObject({ code: -32603, message: 'Internal error' });
  });
});
