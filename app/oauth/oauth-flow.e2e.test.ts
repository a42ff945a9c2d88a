import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { requireKeyringSession } from '../testing/keyring-session.js';
import { spawnBridge, type BridgeProcess } from '../testing/bridge-process.js';
import { startOAuthTestServer, type OAuthTestServer } from '../testing/oauth-server.js';
import { findSecretsInFiles } from '../testing/secret-scan.js';
import { makeTempHome, type TempHome } from '../testing/temp-home.js';
import { openSecretStore } from '../vault/open-secret-store.js';
import { readAuthStatus } from './auth-status.js';
import { oauthStore, tokensAccount } from './grant-store.js';
import {
  connectThroughEntry,
  oauthCliHarness,
  type OAuthCliHarness,
} from '../testing/oauth-cli-harness.js';

// The whole OAuth path through real processes: the built CLI (login with a BROWSER command that
// follows the redirect chain with fetch), a real AS + resource server from the SDK's auth pieces,
// the real Secret Service (scripts/with-keyring.sh), and bridges spawned as a client spawns them.

let tmp: TempHome;
let as: OAuthTestServer;
let h: OAuthCliHarness;
const bridges: BridgeProcess[] = [];

beforeEach(async () => {
  requireKeyringSession();
  tmp = await makeTempHome('sb-oauth-e2e-');
  h = oauthCliHarness(tmp);
});
afterEach(async () => {
  for (const b of bridges.splice(0)) b.kill();
  await as?.close();
  await tmp.cleanup();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function addAndLogin(extra: string[] = []): Promise<string> {
  await h.ok(['project', 'add', 'acme', '--url', as.mcpUrl, '--auth', 'oauth']);
  const login = await h.ok(['login', 'acme', '--consent', ...extra]);
  expect(login.stdout).toContain('Signed in to acme');
  // Without a TTY the browser still opens and the URL is on stderr (never stdout).
  expect(login.stderr).toContain(`Open this URL to sign in`);
  expect(login.stdout).not.toContain('/authorize');
  const projects = JSON.parse(
    await fs.readFile(path.join(tmp.dataDir, 'projects.json'), 'utf8'),
  ) as {
    projects: Array<{ id: string }>;
  };
  return projects.projects[0]!.id;
}

/** Sockets this process listens on (TCP, from /proc): the bridge must have none. */
async function listeningSockets(pid: number): Promise<number> {
  const inodes = new Set<string>();
  for (const fd of await fs.readdir(`/proc/${pid}/fd`).catch(() => [])) {
    const link = await fs.readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
    const m = /^socket:\[(\d+)\]$/.exec(link);
    if (m) inodes.add(m[1]!);
  }
  let count = 0;
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const lines = (await fs.readFile(table, 'utf8').catch(() => '')).split('\n').slice(1);
    for (const line of lines) {
      const cols = line.trim().split(/\s+/);
      if (cols[3] === '0A' && inodes.has(cols[9] ?? '')) count++;
    }
  }
  return count;
}

function toolText(result: unknown): string {
  return ((result as { content?: Array<{ text?: string }> }).content ?? [])[0]?.text ?? '';
}

describe('OAuth projects end to end', () => {
  it('add → login (consent, PKCE, resource, iss) → install → tool call via the bridge → expiry → exactly one refresh', async () => {
    as = await startOAuthTestServer({ accessTtlSeconds: 12 });
    const projectId = await addAndLogin();

    // The authorize request: PKCE S256, state, RFC 8707 resource, the PRM's scopes.
    expect(as.authorizeRequests).toHaveLength(1);
    const q = as.authorizeRequests[0]!;
    expect(q.get('code_challenge_method')).toBe('S256');
    expect(q.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(q.get('state')?.length).toBeGreaterThan(20);
    expect(q.get('resource')).toBe(as.mcpUrl);
    expect(q.get('scope')).toBe('mcp:read mcp:write mcp:admin');
    expect(new URL(q.get('redirect_uri')!).hostname).toBe('127.0.0.1');
    // The token request named the same resource; DCR registered a native public client.
    expect(as.tokenResources).toEqual([as.mcpUrl]);
    expect(as.registrations).toHaveLength(1);
    expect(as.registrations[0]!.grant_types).toContain('refresh_token');
    expect(as.registrationRequests[0]).toMatchObject({ application_type: 'native' });
    expect(await h.browserOpens()).toHaveLength(1);

    // Tokens only in the keychain; the record has no secret.
    const secrets = openSecretStore(tmp.dataDir, 'keychain');
    const stored = JSON.parse((await secrets.get(tokensAccount(projectId)))!) as {
      access_token: string;
      refresh_token: string;
    };
    expect(as.issuedSecrets()).toContain(stored.access_token);
    expect(as.issuedSecrets()).toContain(stored.refresh_token);
    const grant = (await oauthStore(tmp.dataDir).read()).grants[projectId]!;
    expect(grant).toMatchObject({ issuer: as.issuer, refreshPresent: true, resource: as.mcpUrl });
    const consents = JSON.parse(
      await fs.readFile(path.join(tmp.dataDir, 'consents.json'), 'utf8'),
    ) as {
      consents: Array<{ kind: string; issuer: string; scopes: string[]; source: string }>;
    };
    expect(consents.consents).toMatchObject([
      {
        kind: 'oauth-grant',
        issuer: as.issuer,
        source: 'cli',
        scopes: ['mcp:admin', 'mcp:read', 'mcp:write'],
      },
    ]);

    const entry = await h.installEntry('acme');
    const { client, stderr } = await connectThroughEntry(entry, h.clientEnv(entry.env));
    try {
      const first = await client.callTool({ name: 'echo', arguments: { text: 'one' } });
      expect(toolText(first)).toBe('one');
      expect(as.refreshRequests).toBe(0);
      // Later tokens live long, so only the expiry of the first one is under test.
      as.setAccessTtl(3600);
      const expiresAt = Date.parse(grant.accessExpiresAt!);
      await sleep(Math.max(0, expiresAt - Date.now()) + 300);
      const second = await client.callTool({ name: 'echo', arguments: { text: 'two' } });
      expect(toolText(second)).toBe('two');
      expect(as.refreshRequests).toBe(1);
      expect(as.reuseDetections).toBe(0);
    } finally {
      await client.close();
    }
    expect(await h.browserOpens()).toHaveLength(1);
    // No token in any file under HOME (configs, audit, records, logs), nor on the bridge's stderr.
    expect(await findSecretsInFiles([tmp.home], as.issuedSecrets())).toEqual([]);
    for (const s of as.issuedSecrets()) expect(stderr()).not.toContain(s);
  });

  it('race: 5 bridges × 4 concurrent calls right after expiry → exactly 1 refresh, 0 reuse revocations, every call answered once', async () => {
    as = await startOAuthTestServer({ accessTtlSeconds: 3 });
    const projectId = await addAndLogin();
    const entry = await h.installEntry('acme');
    as.setAccessTtl(3600);
    const grant = (await oauthStore(tmp.dataDir).read()).grants[projectId]!;
    await sleep(Math.max(0, Date.parse(grant.accessExpiresAt!) - Date.now()) + 200);

    const env = h.clientEnv(entry.env);
    for (let i = 0; i < 5; i++) bridges.push(spawnBridge(projectId, env));
    await Promise.all(bridges.map((b) => b.handshake()));
    await Promise.all(
      bridges.flatMap((b) =>
        [1, 2, 3, 4].map((n) =>
          b.request(
            `call-${n}`,
            'tools/call',
            { name: 'echo', arguments: { text: `c${n}` } },
            20_000,
          ),
        ),
      ),
    );
    for (const b of bridges) {
      for (const n of [1, 2, 3, 4]) {
        const answers = b.answers(`call-${n}`);
        expect(answers, b.stderr()).toHaveLength(1);
        expect(answers[0]).toMatchObject({ result: { content: [{ text: `c${n}` }] } });
      }
    }
    expect(as.refreshRequests).toBe(1);
    expect(as.reuseDetections).toBe(0);
  });

  it('refresh refused → -32081 naming the fix, state recorded, no browser or listener in the bridge; sign in again → the same bridge works', async () => {
    as = await startOAuthTestServer({ accessTtlSeconds: 3600 });
    const projectId = await addAndLogin();
    const entry = await h.installEntry('acme');
    const bridge = spawnBridge(projectId, h.clientEnv(entry.env));
    bridges.push(bridge);
    await bridge.handshake();
    const ok = await bridge.request('a', 'tools/call', { name: 'echo', arguments: { text: 'a' } });
    expect(ok).toMatchObject({ result: { content: [{ text: 'a' }] } });

    // The user revoked Switchboard at the server: the access token gets 401, the refresh is refused.
    as.revokeAll();
    const failed = await bridge.request('b', 'tools/call', {
      name: 'echo',
      arguments: { text: 'b' },
    });
    expect(failed).toMatchObject({ error: { code: -32081 } });
    const message = (failed as { error: { message: string } }).error.message;
    expect(message).toContain('sign in to acme in Switchboard');
    expect(message).toContain('switchboard login acme');
    expect(as.refreshRequests).toBe(1);
    expect(await readAuthStatus(tmp.dataDir, projectId)).toMatchObject({
      status: 'sign-in-needed',
    });
    // Only login ever opened a browser; the bridge holds no listening socket.
    expect(await h.browserOpens()).toHaveLength(1);
    expect(await listeningSockets(bridge.child.pid!)).toBe(0);
    // Further calls do not hammer the AS with the dead refresh token.
    const again = await bridge.request('c', 'tools/call', {
      name: 'echo',
      arguments: { text: 'c' },
    });
    expect(again).toMatchObject({ error: { code: -32081 } });
    expect(as.refreshRequests).toBe(1);

    // Sign in again (same consent: no question) — the running bridge uses the new tokens at once.
    await h.ok(['login', 'acme']);
    const back = await bridge.request('d', 'tools/call', {
      name: 'echo',
      arguments: { text: 'd' },
    });
    expect(back).toMatchObject({ result: { content: [{ text: 'd' }] } });
    expect(await readAuthStatus(tmp.dataDir, projectId)).toMatchObject({ status: 'signed-in' });
    expect(await h.browserOpens()).toHaveLength(2);
  });

  it('step-up: 403 insufficient_scope → "permission needed", next sign-in asks for the union; at most 3 authorization attempts', async () => {
    as = await startOAuthTestServer();
    const projectId = await addAndLogin(['--scope', 'mcp:read']);
    expect(as.authorizeRequests[0]!.get('scope')).toBe('mcp:read');
    const entry = await h.installEntry('acme');
    const bridge = spawnBridge(projectId, h.clientEnv(entry.env));
    bridges.push(bridge);
    await bridge.handshake();
    const denied = await bridge.request('a', 'tools/call', { name: 'admin-report', arguments: {} });
    expect(denied).toMatchObject({ error: { code: -32081 } });
    const message = (denied as { error: { message: string } }).error.message;
    expect(message).toContain('permission needed: mcp:admin');
    expect(message).not.toMatch(/expired/i);
    expect(await readAuthStatus(tmp.dataDir, projectId)).toMatchObject({
      status: 'permission-needed',
      scopes: ['mcp:admin'],
    });

    // The scopes changed, so consent is asked again: without a TTY that needs --consent.
    const refused = await h.cli(['login', 'acme']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--consent');
    expect(refused.stderr).toContain('mcp:admin (challenge)');
    await h.ok(['login', 'acme', '--consent']);
    expect(as.authorizeRequests.at(-1)!.get('scope')).toBe('mcp:read mcp:admin');
    const allowed = await bridge.request('b', 'tools/call', {
      name: 'admin-report',
      arguments: {},
    });
    expect(allowed).toMatchObject({ result: { content: [{ text: 'admin report: all good' }] } });

    // A server that keeps answering 403 for the same scope (the bridge records it again each
    // time): 3 authorization attempts in all, then a clear stop instead of a 4th browser tab.
    const { writeAuthStatus } = await import('./auth-status.js');
    const stillNeeded = () =>
      writeAuthStatus(tmp.dataDir, projectId, {
        status: 'permission-needed',
        scopes: ['mcp:admin'],
      });
    await stillNeeded();
    await h.ok(['login', 'acme', '--consent']);
    await stillNeeded();
    const limited = await h.cli(['login', 'acme', '--consent']);
    expect(limited.code).toBe(1);
    expect(limited.stderr).toContain('still lacks mcp:admin after 3 sign-in attempts');
    expect(as.authorizeRequests).toHaveLength(3);
    expect(await h.browserOpens()).toHaveLength(3);
  });

  it('logout revokes at the AS (refresh, then access), empties the keychain and leaves no token in any file', async () => {
    as = await startOAuthTestServer();
    const projectId = await addAndLogin();
    const entry = await h.installEntry('acme');
    const bridge = spawnBridge(projectId, h.clientEnv(entry.env));
    bridges.push(bridge);
    await bridge.handshake();
    await bridge.request('a', 'tools/call', { name: 'echo', arguments: { text: 'a' } });
    await h.ok([
      'audit',
      'export',
      '--format',
      'jsonl',
      '--out',
      path.join(tmp.home, 'audit-export.jsonl'),
    ]);

    const out = await h.ok(['logout', 'acme']);
    expect(out.stdout).toContain('revoked: refresh_token, access_token');
    expect(as.revocations.map((r) => r.kind)).toEqual(['refresh_token', 'access_token']);
    const secrets = openSecretStore(tmp.dataDir, 'keychain');
    expect(await secrets.get(tokensAccount(projectId))).toBeUndefined();
    expect((await oauthStore(tmp.dataDir).read()).grants[projectId]).toBeUndefined();
    const consents = JSON.parse(
      await fs.readFile(path.join(tmp.dataDir, 'consents.json'), 'utf8'),
    ) as {
      consents: unknown[];
    };
    expect(consents.consents).toEqual([]);
    // The running bridge now answers with the fix, and no file anywhere holds a token.
    const after = await bridge.request('b', 'tools/call', {
      name: 'echo',
      arguments: { text: 'b' },
    });
    expect(after).toMatchObject({ error: { code: -32081 } });
    expect(await findSecretsInFiles([tmp.home, tmp.dataDir], as.issuedSecrets())).toEqual([]);
    for (const s of as.issuedSecrets()) expect(bridge.stderr()).not.toContain(s);

    // Removing an OAuth project signs out first (here: nothing left to revoke) and forgets it.
    await h.ok(['login', 'acme', '--consent']);
    await h.ok(['project', 'remove', 'acme', '--yes']);
    expect(as.revocations).toHaveLength(4);
    expect(await secrets.get(tokensAccount(projectId))).toBeUndefined();
  });

  it('pre-registered client: the secret goes to the keychain only; without DCR or a client the error says how to pre-register', async () => {
    const clientSecret = 'pre-registered-secret-' + 'x7Kq2Lp9Zr4Tn8Vb';
    as = await startOAuthTestServer({
      dcr: false,
      clients: [{ client_id: 'switchboard-corp', client_secret: clientSecret }],
    });
    await h.ok(['project', 'add', 'bare', '--url', as.mcpUrl, '--auth', 'oauth']);
    const refused = await h.cli(['login', 'bare', '--consent']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('offers no dynamic client registration');
    expect(refused.stderr).toContain('--oauth-client-id');
    expect(await h.browserOpens()).toEqual([]);

    await h.ok(
      [
        'project',
        'add',
        'corp',
        '--url',
        as.mcpUrl,
        '--auth',
        'oauth',
        '--oauth-client-id',
        'switchboard-corp',
        '--oauth-client-secret-stdin',
      ],
      clientSecret,
    );
    const login = await h.ok(['login', 'corp', '--consent']);
    expect(login.stderr).toContain('switchboard-corp (pre-registered client)');
    expect(as.authorizeRequests.at(-1)!.get('client_id')).toBe('switchboard-corp');
    expect(as.registrations).toEqual([]);
    expect(await findSecretsInFiles([tmp.home], [clientSecret, ...as.issuedSecrets()])).toEqual([]);
  });

  it('--no-browser only prints the URL and waits; the timeout says what to do', async () => {
    as = await startOAuthTestServer();
    await h.ok(['project', 'add', 'acme', '--url', as.mcpUrl, '--auth', 'oauth']);
    const r = await h.cli(['login', 'acme', '--consent', '--no-browser', '--timeout', '1']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /Open this URL to sign in[^\n]*\nhttp:\/\/127\.0\.0\.1:\d+\/authorize\?/,
    );
    expect(r.stderr).toContain('timed out');
    expect(await h.browserOpens()).toEqual([]);
    expect(as.authorizeRequests).toEqual([]);
  });

  it('`consent revoke` of the OAuth grant signs out: revocation at the AS, keychain emptied', async () => {
    as = await startOAuthTestServer();
    const projectId = await addAndLogin();
    const list = JSON.parse((await h.ok(['consent', 'list', '--json'])).stdout) as Array<{
      id: string;
      kind: string;
    }>;
    const grant = list.find((c) => c.kind === 'oauth-grant')!;
    await h.ok(['consent', 'revoke', grant.id, '--yes']);
    expect(as.revocations.map((r) => r.kind)).toEqual(['refresh_token', 'access_token']);
    const secrets = openSecretStore(tmp.dataDir, 'keychain');
    expect(await secrets.get(tokensAccount(projectId))).toBeUndefined();
    expect((await oauthStore(tmp.dataDir).read()).grants[projectId]).toBeUndefined();
    expect(JSON.parse((await h.ok(['consent', 'list', '--json'])).stdout)).toEqual([]);
  });
});
