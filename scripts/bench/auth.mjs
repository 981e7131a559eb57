// Auth benchmark. Usage: npm run build && node scripts/bench/auth.mjs
//
// Serve throughput with no auth vs verifier mode (bearer JWTs checked against an issuer's JWKS), the same
// point-lookup tool under the same load (c=32, stateless), sides alternated (target: verifier >= 0.9x).
// Clients reuse their token until it expires, so the steady state is the verified-token cache; the cost of a
// first use (one RS256 signature check) is measured separately with jose alone.
//
// The issuer here is a minimal discovery + JWKS server in this process (what the daemon reads of an IdP);
// the specs use oidc-provider for the real thing.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, exportJWK, generateKeyPair, jwtVerify, SignJWT } from 'jose';
import { drive, fmt, kStatelessHeaders, startServe, toolCall } from './lib/load.mjs';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const { publicKey, privateKey } = await generateKeyPair('RS256');
const jwk = { ...(await exportJWK(publicKey)), kid: 'bench', alg: 'RS256', use: 'sig' };

const idp = createServer((req, res) => {
  const issuer = `http://127.0.0.1:${idp.address().port}`;
  const body =
    req.url === '/.well-known/openid-configuration'
      ? { issuer, jwks_uri: `${issuer}/jwks`, authorization_endpoint: `${issuer}/auth`, token_endpoint: `${issuer}/token` }
      : { keys: [jwk] };
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
});
await new Promise((r) => idp.listen(0, '127.0.0.1', r));
const issuer = `http://127.0.0.1:${idp.address().port}`;

const sign = (sub) =>
  new SignJWT({ scope: 'mcp:read' })
    .setProtectedHeader({ alg: 'RS256', kid: 'bench' })
    .setIssuer(issuer)
    .setAudience('bench-api')
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(privateKey);

// First-use cost: jose verifying distinct tokens (what an uncached request adds).
const tokens = await Promise.all(Array.from({ length: 2000 }, (_, i) => sign(`user-${i}`)));
const jwks = createLocalJWKSet({ keys: [jwk] });
const t0 = performance.now();
for (const t of tokens) await jwtVerify(t, jwks, { issuer, audience: 'bench-api', algorithms: ['RS256'] });
const perVerify = ((performance.now() - t0) / tokens.length) * 1000;
console.log(`first use of a token: one RS256 verification = ${perVerify.toFixed(0)} µs (jose, ${tokens.length} distinct tokens)`);

const project = mkdtempSync(join(tmpdir(), 'mxcp-bench-auth-'));
const home = join(project, 'home');
mkdirSync(join(project, 'tools'), { recursive: true });
mkdirSync(home);
writeFileSync(join(project, 'mxcp-site.yml'), 'mxcp: 1\nproject: bench\nprofile: dev\n');
writeFileSync(
  join(project, 'tools/lookup.yml'),
  'mxcp: 1\ntool:\n  name: lookup\n  parameters:\n    - {name: id, type: integer}\n  return: {type: object}\n  source:\n    code: "SELECT $id AS id, \'name-\' || $id AS name"\n',
);
const config = (auth) =>
  auth
    ? `mxcp: 1\nprojects:\n  bench:\n    profiles:\n      dev:\n        auth:\n          mode: verifier\n          provider: oidc\n          authorization:\n            required_scopes: [mcp:read]\n          oidc:\n            config_url: ${issuer}/.well-known/openid-configuration\n            client_id: bench\n            scope: openid\n            audience: bench-api\n`
    : 'mxcp: 1\n';

const sides = ['none', 'verifier'];
const totals = { none: [], verifier: [] };
for (let round = 0; round < 2; round++) {
  for (const side of round % 2 ? [...sides].reverse() : sides) {
    const path = join(project, `config-${side}.yml`);
    writeFileSync(path, config(side === 'verifier'));
    const serve = await startServe({ cwd: project, home, args: ['--stateless'], env: { MXCP_CONFIG_PATH: path } });
    // 32 clients, each with its own token (the cache holds all of them after the warm-up).
    const headersOf =
      side === 'verifier' ? tokens.slice(0, 32).map((t) => ({ ...kStatelessHeaders, authorization: `Bearer ${t}` })) : [kStatelessHeaders];
    let i = 0;
    const body = () => toolCall('lookup', { id: i++ % 10_000 });
    const run = (secs) =>
      Promise.all(
        headersOf.length === 1
          ? [drive({ url: `${serve.base}/mcp`, headers: headersOf[0], body, concurrency: 32, seconds: secs })]
          : headersOf.map((headers) => drive({ url: `${serve.base}/mcp`, headers, body, concurrency: 1, seconds: secs })),
      );
    await run(1); // warm-up (and the JWKS fetch)
    const parts = await run(seconds);
    const merged = {
      requests: parts.reduce((a, r) => a + r.requests, 0),
      errors: parts.reduce((a, r) => a + r.errors, 0),
      rps: parts.reduce((a, r) => a + r.rps, 0),
      p50: parts.reduce((a, r) => a + r.p50, 0) / parts.length,
      p99: Math.max(...parts.map((r) => r.p99)),
    };
    totals[side].push(merged);
    await serve.stop();
  }
}
idp.close();
rmSync(project, { recursive: true, force: true });
const mean = (rs, k) => rs.reduce((a, r) => a + r[k], 0) / rs.length;
console.log(`\nserve --stateless, tools/call point lookup, c=32, ${seconds} s per side x2, sides alternated:`);
for (const side of sides) {
  const rs = totals[side];
  console.log(
    `  auth ${side.padEnd(9)} ${fmt({ rps: mean(rs, 'rps'), p50: mean(rs, 'p50'), p99: mean(rs, 'p99'), errors: rs.reduce((a, r) => a + r.errors, 0) })}`,
  );
}
console.log(`  ratio verifier/none: ${(mean(totals.verifier, 'rps') / mean(totals.none, 'rps')).toFixed(2)}x (target >= 0.9x)`);
