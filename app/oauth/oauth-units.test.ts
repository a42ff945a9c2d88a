import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempHome, type TempHome } from '../testing/temp-home.js';
import {
  openInBrowser,
  openerArgv,
  splitCommandLine,
  validateAuthorizationUrl,
} from './browser-opener.js';
import { parseChallenge } from './challenge.js';
import { discover, type Discovered } from './discovery.js';
import { startLoopbackListener } from './loopback-listener.js';
import { refreshDueAt } from './oauth-session.js';
import { chooseScopes, fullScope } from './scopes.js';

let tmp: TempHome | undefined;
const servers: http.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
  await tmp?.cleanup();
  tmp = undefined;
});

describe('authorization URL validation and the browser opener', () => {
  it('opens only https, or http to this machine; never javascript:, data:, file: or userinfo', () => {
    expect(validateAuthorizationUrl('https://as.example.com/authorize?x=1').host).toBe(
      'as.example.com',
    );
    expect(validateAuthorizationUrl('http://127.0.0.1:9/authorize').port).toBe('9');
    for (const bad of [
      'javascript:alert(1)',
      'data:text/html,hi',
      'file:///etc/passwd',
      'http://as.example.com/authorize',
      'https://user:pw@as.example.com/authorize',
      'not a url',
    ]) {
      expect(() => validateAuthorizationUrl(bad), bad).toThrow(/only https|not a URL/);
    }
  });

  it('splits BROWSER as a shell would, without expanding anything', () => {
    expect(splitCommandLine(`firefox --new-window`)).toEqual(['firefox', '--new-window']);
    expect(splitCommandLine(`'/opt/My Browser/bin' "--profile=a b" c\\ d $HOME`)).toEqual([
      '/opt/My Browser/bin',
      '--profile=a b',
      'c d',
      '$HOME',
    ]);
    expect(() => splitCommandLine(`'unclosed`)).toThrow(/unclosed quote/);
    const url = new URL('https://as.example.com/a');
    expect(openerArgv(url, { BROWSER: 'w3m -o x' })).toEqual(['w3m', '-o', 'x', url.href]);
    expect(openerArgv(url, {}, 'linux')).toEqual(['xdg-open', url.href]);
    expect(openerArgv(url, {}, 'darwin')).toEqual(['open', url.href]);
    expect(openerArgv(url, {}, 'win32')).toEqual([
      'rundll32',
      'url.dll,FileProtocolHandler',
      url.href,
    ]);
  });

  it('runs BROWSER with the URL as its last argument and no shell: metacharacters stay inert', async () => {
    tmp = await makeTempHome('sb-opener-');
    const script = path.join(tmp.home, 'record-argv.mjs');
    const out = path.join(tmp.home, 'argv.json');
    const pwned = path.join(tmp.home, 'pwned');
    await fs.writeFile(
      script,
      `import fs from 'node:fs'; fs.writeFileSync(${JSON.stringify(out)}, JSON.stringify(process.argv.slice(2)));`,
    );
    const url = `https://as.example.com/authorize?q=$(touch%20${encodeURIComponent(pwned)})&x=;touch`;
    await openInBrowser(url, { ...tmp.env, BROWSER: `'${process.execPath}' '${script}' --flag` });
    let argv: string[] | undefined;
    for (let i = 0; i < 100 && !argv; i++) {
      argv = await fs
        .readFile(out, 'utf8')
        .then((t) => JSON.parse(t) as string[])
        .catch(() => undefined);
      if (!argv) await new Promise((r) => setTimeout(r, 50));
    }
    expect(argv).toEqual(['--flag', new URL(url).href]);
    await expect(fs.access(pwned)).rejects.toThrow();
  });

  it('reports an opener that cannot start, with what to do', async () => {
    await expect(
      openInBrowser('https://as.example.com/a', { PATH: '', BROWSER: 'no-such-browser-xyz' }),
    ).rejects.toThrow(/Could not start the browser .*open the URL printed above yourself/);
  });
});

describe('the loopback listener', () => {
  it('listens on 127.0.0.1 only, ignores a callback with another state, resolves with ours, then closes', async () => {
    const l = await startLoopbackListener({ state: 'the-state', timeoutMs: 10_000 });
    const u = new URL(l.redirectUri);
    expect(u.hostname).toBe('127.0.0.1');
    expect(Number(u.port)).toBeGreaterThan(0);
    const forged = await fetch(`${l.redirectUri}?code=evil&state=other`);
    expect(forged.status).toBe(400);
    const ok = await fetch(`${l.redirectUri}?code=good&state=the-state&iss=x`);
    expect(ok.status).toBe(200);
    const q = await l.callback;
    expect(q.get('code')).toBe('good');
    await expect(fetch(l.redirectUri)).rejects.toThrow();
  });

  it('times out and can be cancelled, saying what happened', async () => {
    const slow = await startLoopbackListener({ state: 's', timeoutMs: 50 });
    await expect(slow.callback).rejects.toThrow(/timed out/);
    const abort = new AbortController();
    const cancelled = await startLoopbackListener({ state: 's', signal: abort.signal });
    abort.abort();
    await expect(cancelled.callback).rejects.toThrow(/cancelled/);
  });
});

describe('refresh timing', () => {
  const at = (lifetimeS: number) => ({
    issuedAt: new Date(0).toISOString(),
    accessExpiresAt: new Date(lifetimeS * 1000).toISOString(),
  });
  it('refreshes at ¾ of the lifetime, ≥ 60 s before expiry for tokens over 4 min, never before half', () => {
    expect(refreshDueAt(at(3600))).toBe(2700_000);
    expect(refreshDueAt(at(600))).toBe(450_000);
    expect(refreshDueAt(at(10))).toBe(7_500);
    expect(refreshDueAt({ issuedAt: new Date(0).toISOString(), accessExpiresAt: null })).toBe(
      undefined,
    );
    for (const s of [5, 60, 241, 300, 3600, 86_400]) {
      const due = refreshDueAt(at(s))!;
      expect(due).toBeGreaterThanOrEqual((s * 1000) / 2);
      if (s > 240) expect(due).toBeLessThanOrEqual(s * 1000 - 60_000);
    }
  });
});

describe('scope selection', () => {
  const d = (over: Partial<Discovered> = {}): Discovered => ({
    serverUrl: 'https://mcp.example.com/mcp',
    resource: 'https://mcp.example.com/mcp',
    issuer: 'https://as.example.com',
    authorizationServerUrl: 'https://as.example.com',
    metadata: {
      issuer: 'https://as.example.com',
      authorization_endpoint: 'https://as.example.com/a',
      token_endpoint: 'https://as.example.com/t',
      response_types_supported: ['code'],
    },
    resourceMetadata: {
      resource: 'https://mcp.example.com/mcp',
      scopes_supported: ['read', 'write'],
    },
    ...over,
  });
  const names = (c: Array<{ scope: string }>) => c.map((x) => x.scope);

  it('user --scope, else the challenge, else scopes_supported, else none', () => {
    expect(chooseScopes(d(), { user: ['x'] })).toEqual([{ scope: 'x', source: 'user' }]);
    expect(chooseScopes(d({ challenge: { status: 401, scope: 'ch1 ch2' } }))).toEqual([
      { scope: 'ch1', source: 'challenge' },
      { scope: 'ch2', source: 'challenge' },
    ]);
    expect(names(chooseScopes(d()))).toEqual(['read', 'write']);
    expect(
      chooseScopes(d({ resourceMetadata: { resource: 'https://mcp.example.com/mcp' } })),
    ).toEqual([]);
  });

  it('adds offline_access only when the AS lists it; step-up is the union of granted and challenged', () => {
    const withOffline = d();
    withOffline.metadata = {
      ...withOffline.metadata,
      scopes_supported: ['read', 'offline_access'],
    };
    expect(names(chooseScopes(withOffline))).toEqual(['read', 'write', 'offline_access']);
    expect(names(chooseScopes(d(), { granted: ['read'], needed: ['admin'] }))).toEqual([
      'read',
      'admin',
    ]);
    expect(chooseScopes(d(), { granted: ['read', 'admin'], needed: ['admin'] })).toEqual([
      { scope: 'read', source: 'granted' },
      { scope: 'admin', source: 'granted' },
    ]);
  });

  it('flags full scope: every advertised scope, or an admin-like one', () => {
    expect(fullScope(['read', 'write'], ['read', 'write', 'offline_access'])).toMatchObject({
      full: true,
    });
    expect(fullScope(['read'], ['read', 'write'])).toEqual({ full: false });
    expect(fullScope(['repo:admin'], ['read', 'repo:admin'])).toMatchObject({
      full: true,
      reason: expect.stringContaining('repo:admin'),
    });
    expect(fullScope(['read'], ['read'])).toEqual({ full: false });
  });

  it('reads WWW-Authenticate challenges (quoted and bare values)', () => {
    expect(
      parseChallenge(
        403,
        'Bearer error="insufficient_scope", scope="a b", resource_metadata="https://x.test/.well-known/oauth-protected-resource/mcp"',
      ),
    ).toEqual({
      status: 403,
      error: 'insufficient_scope',
      scope: 'a b',
      resourceMetadataUrl: new URL('https://x.test/.well-known/oauth-protected-resource/mcp'),
    });
    expect(parseChallenge(401, 'Bearer error=invalid_token')).toEqual({
      status: 401,
      error: 'invalid_token',
    });
    expect(parseChallenge(401, 'Basic realm="x"')).toEqual({ status: 401 });
  });
});

describe('discovery refusals', () => {
  /** A server publishing PRM and AS metadata as given (127.0.0.1). */
  async function metadataServer(opts: {
    prmResource?: (base: string) => string;
    pkce?: string[] | undefined;
  }): Promise<string> {
    const server = http.createServer((req, res) => {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const json = (v: unknown) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(v));
      };
      if (req.url === '/.well-known/oauth-protected-resource/mcp') {
        return json({
          resource: opts.prmResource ? opts.prmResource(base) : `${base}/mcp`,
          authorization_servers: [base],
        });
      }
      if (req.url === '/.well-known/oauth-authorization-server') {
        return json({
          issuer: base,
          authorization_endpoint: `${base}/authorize`,
          token_endpoint: `${base}/token`,
          response_types_supported: ['code'],
          ...(opts.pkce ? { code_challenge_methods_supported: opts.pkce } : {}),
        });
      }
      res.writeHead(401, {
        'www-authenticate': `Bearer resource_metadata="${base}/.well-known/oauth-protected-resource/mcp"`,
      });
      res.end();
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
  }

  it('finds the AS through the 401 challenge and keeps the PRM resource verbatim', async () => {
    const url = await metadataServer({ pkce: ['S256'] });
    const d = await discover(url);
    expect(d.resource).toBe(url);
    expect(d.challenge?.resourceMetadataUrl?.pathname).toBe(
      '/.well-known/oauth-protected-resource/mcp',
    );
    expect(d.issuer).toBe(new URL(url).origin);
  });

  it('refuses an AS that does not advertise PKCE S256', async () => {
    for (const pkce of [undefined, ['plain']]) {
      const url = await metadataServer({ pkce });
      await expect(discover(url)).rejects.toThrow(/does not advertise PKCE S256/);
    }
  });

  it('aborts when the PRM names another resource', async () => {
    const url = await metadataServer({
      pkce: ['S256'],
      prmResource: () => 'https://elsewhere.example.com/mcp',
    });
    await expect(discover(url)).rejects.toThrow(
      /names the resource https:\/\/elsewhere\.example\.com\/mcp, which is not/,
    );
  });
});
