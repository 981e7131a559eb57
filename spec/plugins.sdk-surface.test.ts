/**
 * `mxcp/sdk` is a curated surface (STYLE 22): the exact list of names sdk/index.ts exports is pinned here, so
 * every addition or removal is a visible decision; and nothing under sdk/ imports daemon internals (the
 * dependency direction is daemon → sdk ← plugins).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as sdk from '../sdk/index.js';
import { kRepoRoot } from './plugins.helpers.js';

const kValues = [
  'DiscoveredOidcProvider',
  'Errors',
  'OAuth2Provider',
  'OidcProvider',
  'defineAuthProvider',
  'fetchDiscovery',
  'fetchUpstream',
  'fetchUpstreamJson',
  'fixedProviderOptions',
  'grantFrom',
  'kAuthProviderSettings',
  'kTokenStoreSettings',
  'pickUsername',
  'ProfileProvider',
  'profileFields',
  'requireSetting',
  'standbyProvider',
  'unverifiedClaims',
  'userinfoUrl',
  'MxcpError',
  'config',
  'db',
  'defineError',
  'definePlugin',
  'describeError',
  'formatLocated',
  'getUserContext',
  'inject',
  'injectable',
  'isMxcpError',
  'kAuditSink',
  'kAuthProvider',
  'kExecutor',
  'kExecutorHost',
  'kModelProvider',
  'kPluginConfig',
  'kPluginInfo',
  'kPluginLogger',
  'kRuntimeSlot',
  'kSecretBackend',
  'kTokenStore',
  'kUdf',
  'mcp',
  'onInit',
  'onShutdown',
  'plugins',
];

const kTypes = [
  'AuditRecord',
  'AuditSink',
  'AuthGrant',
  'AuthProvider',
  'AuthProviderSettings',
  'AuthUserInfo',
  'AuthorizeRequest',
  'ClientChannel',
  'ClientLogLevel',
  'CodeExchange',
  'ConfigAccess',
  'DatabaseAccess',
  'EndpointSource',
  'ErrorCode',
  'ErrorLocation',
  'ErrorSpec',
  'ExecutableEndpoint',
  'ExecutionContext',
  'Executor',
  'ExecutorHost',
  'ExecutorStats',
  'LifecycleHook',
  'ModelMessage',
  'ModelProvider',
  'ModelRequest',
  'ModelResponse',
  'ModelSettings',
  'ModelTool',
  'ModelToolCall',
  'OAuth2ProviderOptions',
  'OidcEndpoints',
  'MxcpErrorClass',
  'MxcpErrorOptions',
  'PluginCloseReason',
  'PluginContext',
  'PluginDescription',
  'PluginDefinition',
  'PluginInfo',
  'PluginInstance',
  'PluginKind',
  'PluginKindInstances',
  'PluginLifecycle',
  'PluginLogger',
  'PluginManifest',
  'PluginManifestFields',
  'ResolveContext',
  'Row',
  'RuntimeConfigSnapshot',
  'RuntimeScope',
  'RuntimeSlot',
  'SecretBackend',
  'StoredToken',
  'Token',
  'TokenCollection',
  'TokenStore',
  'TokenStoreSettings',
  'Transport',
  'UdfPlugin',
  'UdfSignature',
  'UserContext',
];

/** Names in `export { ... } from` / `export type { ... } from` statements of the barrel's source. */
function exportedNames(source: string): { values: string[]; types: string[] } {
  const values: string[] = [];
  const types: string[] = [];
  for (const m of source.matchAll(/^export (type )?\{([^}]*)\} from '[^']+';/gm)) {
    const names = (m[2] ?? '')
      .split(',')
      .map((n) => n.trim())
      .filter(Boolean);
    (m[1] ? types : values).push(...names);
  }
  return { values: values.sort(), types: types.sort() };
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? tsFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('the mxcp/sdk surface', () => {
  it('sdk/index.ts exports exactly the pinned names (values and types), only through named exports', () => {
    const source = readFileSync(join(kRepoRoot, 'sdk', 'index.ts'), 'utf8');
    expect(source).not.toMatch(/^export \*/m);
    const { values, types } = exportedNames(source);
    expect(values).toEqual([...kValues].sort());
    expect(types).toEqual([...kTypes].sort());
  });

  it('the runtime module exports exactly the pinned values', () => {
    expect(Object.keys(sdk).sort()).toEqual([...kValues].sort());
  });

  it('nothing under sdk/ imports from daemon/', () => {
    const offenders = tsFiles(join(kRepoRoot, 'sdk')).filter((file) =>
      /(?:from\s+|import\s*\(\s*)['"][^'"]*\/daemon\//.test(readFileSync(file, 'utf8')),
    );
    expect(offenders.map((f) => relative(kRepoRoot, f))).toEqual([]);
  });

  it('plugin tokens are Symbol.for symbols, shared with a plugin that bundles its own SDK copy', () => {
    expect(sdk.kPluginConfig).toBe(Symbol.for('mxcp.token.plugin-config'));
    expect(sdk.kSecretBackend).toBe(Symbol.for('mxcp.token.secret-backend'));
  });
});
