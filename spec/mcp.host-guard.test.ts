/** Host/Origin guard rules (daemon/transports/http/host-guard.ts), unit level; the real daemon is in serve.guards.test.ts. */
import { describe, expect, it } from 'vitest';
import { compileGuard, isLoopbackHost, splitHost } from '../daemon/transports/http/host-guard.js';

const code = (err: { code: string } | undefined) => err?.code;

describe('splitHost', () => {
  it('splits names, ports and bracketed IPv6', () => {
    expect(splitHost('LocalHost:8000')).toEqual({ name: 'localhost', port: '8000' });
    expect(splitHost('[::1]:9')).toEqual({ name: '[::1]', port: '9' });
    expect(splitHost('[::1]')).toEqual({ name: '[::1]', port: '' });
    expect(splitHost('example.com')).toEqual({ name: 'example.com', port: '' });
  });

  it('knows loopback hosts', () => {
    for (const h of ['localhost', '127.0.0.1', '127.1.2.3', '::1', '[::1]']) expect(isLoopbackHost(h), h).toBe(true);
    for (const h of ['0.0.0.0', 'example.com', '10.0.0.1']) expect(isLoopbackHost(h), h).toBe(false);
  });
});

describe('bound to loopback', () => {
  const guard = compileGuard({ boundHost: 'localhost' });

  it('lets loopback names through on any port, with or without an Origin', () => {
    expect(guard('localhost:8000', undefined)).toBeUndefined();
    expect(guard('127.0.0.1:1', 'http://127.0.0.1:1')).toBeUndefined();
    expect(guard('[::1]:8000', 'http://[::1]:8000')).toBeUndefined();
    expect(guard('localhost:8000', 'http://localhost:3000')).toBeUndefined();
  });

  it('stops rebinding attempts and missing hosts', () => {
    expect(code(guard('evil.example.com', undefined))).toBe('MXCP_E_MCP_FORBIDDEN_HOST');
    expect(code(guard(undefined, undefined))).toBe('MXCP_E_MCP_FORBIDDEN_HOST');
    expect(code(guard('localhost:8000', 'http://evil.example.com'))).toBe('MXCP_E_MCP_FORBIDDEN_ORIGIN');
    expect(code(guard('localhost:8000', 'null'))).toBe('MXCP_E_MCP_FORBIDDEN_ORIGIN');
  });
});

describe('bound to all interfaces', () => {
  it('without lists: any Host; a present Origin must name the Host', () => {
    const guard = compileGuard({ boundHost: '0.0.0.0' });
    expect(guard('mcp.example.com', undefined)).toBeUndefined();
    expect(guard('mcp.example.com', 'https://mcp.example.com')).toBeUndefined();
    expect(code(guard('mcp.example.com', 'https://evil.example.com'))).toBe('MXCP_E_MCP_FORBIDDEN_ORIGIN');
  });

  it('with lists: exact hosts, ports and wildcards', () => {
    const guard = compileGuard({
      boundHost: '0.0.0.0',
      allowedHosts: ['mcp.example.com', 'api.example.com:8443', 'lb.example.com:*'],
      allowedOrigins: ['https://app.example.com', 'tools.example.com'],
    });
    expect(guard('mcp.example.com:8000', undefined)).toBeUndefined();
    expect(guard('api.example.com:8443', undefined)).toBeUndefined();
    expect(code(guard('api.example.com:80', undefined))).toBe('MXCP_E_MCP_FORBIDDEN_HOST');
    expect(guard('lb.example.com:1234', undefined)).toBeUndefined();
    expect(guard('mcp.example.com', 'https://app.example.com')).toBeUndefined();
    expect(guard('mcp.example.com', 'https://tools.example.com:444')).toBeUndefined();
    expect(code(guard('mcp.example.com', 'https://app.example.com.evil.io'))).toBe('MXCP_E_MCP_FORBIDDEN_ORIGIN');
    expect(compileGuard({ boundHost: '0.0.0.0', allowedHosts: ['*'], allowedOrigins: ['*'] })('x', 'https://y')).toBeUndefined();
  });
});
