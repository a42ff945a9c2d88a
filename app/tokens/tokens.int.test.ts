import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../services.js';
import { requireKeyringSession } from '../testing/keyring-session.js';
import { runCliProcess } from '../testing/run-cli.js';
import { findSecretsInFiles } from '../testing/secret-scan.js';
import { makeTempHome, type TempHome } from '../testing/temp-home.js';
import {
  issuerProjectArgs,
  startIssuerServer,
  type IssuerServer,
} from '../testing/token-issuer-server.js';
import { KeychainStore } from '../vault/keychain-store.js';
import { createCredentialProvider } from './credential-provider.js';

let issuer: IssuerServer;
let tmp: TempHome;
let services: Services;
const cli = (args: string[], stdin?: string) => runCliProcess(args, { env: tmp.env, stdin });

beforeAll(() => requireKeyringSession());
// A fresh issuer per test, so counts of live tokens belong to that test alone.
beforeEach(async () => {
  issuer = await startIssuerServer();
  tmp = await makeTempHome();
  services = createServices({ dataDir: tmp.dataDir, env: tmp.env });
});
afterEach(async () => {
  await issuer.close();
  await tmp.cleanup();
});

async function addIssuerProject(name = 'gw') {
  const add = await cli([...issuerProjectArgs(issuer, name), '--json']);
  expect(add.code, add.stderr).toBe(0);
  const key = await cli(
    ['token', 'add', name, '--kind', 'issuer-key', '--name', 'issuer', '--token-stdin'],
    issuer.adminKey,
  );
  expect(key.code, key.stderr).toBe(0);
}

describe('tokens in the real keychain', () => {
  it('survives a process restart, is usable by another process, and is gone after remove', async () => {
    const value = issuer.issue('pasted');
    const add = await cli(
      ['project', 'add', 'acme', '--url', issuer.mcpUrl, '--token-stdin', '--json'],
      value + '\n',
    );
    expect(add.code, add.stderr).toBe(0);
    expect(add.stdout).not.toContain(value);

    // A new process reads the token from the keychain and the server accepts it.
    const test = await cli(['test', 'acme', '--json']);
    expect(test.code, test.stderr).toBe(0);
    expect(JSON.parse(test.stdout)).toMatchObject({
      ok: true,
      tools: expect.arrayContaining(['echo']),
    });

    const [record] = await services.tokens.recordsFor(JSON.parse(add.stdout).id);
    expect(await new KeychainStore().get(record!.id)).toBe(value);

    const removed = await cli(['token', 'remove', 'acme', 'default', '--yes']);
    expect(removed.code, removed.stderr).toBe(0);
    expect(await new KeychainStore().get(record!.id)).toBeUndefined();
    const after = await cli(['test', 'acme']);
    expect(after.code).toBe(1);
    expect(after.stderr).toContain('no token');
  });

  it('mints, rotates and revokes through the issuing API; no value lands in any file', async () => {
    await addIssuerProject();
    const minted = await cli(['token', 'mint', 'gw', '--ttl', '30d', '--json']);
    expect(minted.code, minted.stderr).toBe(0);
    const first = JSON.parse(minted.stdout) as {
      value: string;
      token: { name: string; source: string; fingerprint: string };
    };
    expect(first.value).toMatch(/^sbx_/);
    expect(first.token).toMatchObject({ name: 'default', source: 'minted', status: 'active' });
    expect(issuer.liveTokenIds()).toHaveLength(1);
    expect((await cli(['test', 'gw', '--tool', 'echo', '--args', '{"text":"hi"}'])).code).toBe(0);

    const rotated = await cli(['token', 'rotate', 'gw', '--json']);
    expect(rotated.code, rotated.stderr).toBe(0);
    const second = JSON.parse(rotated.stdout) as {
      value: string;
      token: { name: string; fingerprint: string };
      replaced: { status: string };
    };
    expect(second.value).not.toBe(first.value);
    expect(second.token.name).toBe('default');
    expect(second.replaced.status).toBe('revoked');
    // The old token is revoked at the issuer: only the new one is live.
    expect(issuer.liveTokenIds()).toHaveLength(1);
    expect((await cli(['test', 'gw', '--token-stdin'], first.value)).code).toBe(1);
    expect((await cli(['test', 'gw'])).code).toBe(0);

    const list = JSON.parse((await cli(['token', 'list', '--project', 'gw', '--json'])).stdout) as {
      name: string;
      status: string;
    }[];
    expect(list.map((t) => t.status).sort()).toEqual(['active', 'active', 'revoked']); // issuer key, new, old

    const revoked = await cli(['token', 'revoke', 'gw', 'default', '--yes']);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(issuer.liveTokenIds()).toHaveLength(0);
    expect((await cli(['test', 'gw'])).code).toBe(1);

    const leaks = await findSecretsInFiles(
      [tmp.home],
      [first.value, second.value, issuer.adminKey],
    );
    expect(leaks).toEqual([]);
  });

  it('refuses revoke/remove without --yes when stdin is not a terminal', async () => {
    await cli(
      ['project', 'add', 'acme', '--url', issuer.mcpUrl, '--token-stdin'],
      issuer.issue('x'),
    );
    const r = await cli(['token', 'revoke', 'acme', 'default']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--yes');
    expect((await cli(['test', 'acme'])).code).toBe(0);
  });

  it('never sends an expired token, and says how to fix it', async () => {
    const value = issuer.issue('short');
    await cli(['project', 'add', 'acme', '--url', issuer.mcpUrl, '--auth', 'bearer']);
    const add = await cli(['token', 'add', 'acme', '--expires', '12h', '--token-stdin'], value);
    expect(add.code, add.stderr).toBe(0);
    // Age the record on disk: expiry is data, so this is the real code path.
    const file = path.join(tmp.dataDir, 'tokens.json');
    const doc = JSON.parse(await fs.readFile(file, 'utf8'));
    doc.tokens[0].expiresAt = new Date(Date.now() - 1000).toISOString();
    await fs.writeFile(file, JSON.stringify(doc));
    const refusedBefore = issuer.refused;
    const test = await cli(['test', 'acme']);
    expect(test.code).toBe(1);
    expect(test.stderr).toContain('expired');
    expect(test.stderr).toContain('rotate');
    expect(issuer.refused).toBe(refusedBefore); // nothing was sent
    const list = JSON.parse((await cli(['token', 'list', '--json'])).stdout);
    expect(list[0].status).toBe('expired');
  });

  it('hands a running credential provider the rotated value within a second', async () => {
    const a = issuer.issue('a');
    const b = issuer.issue('b');
    await cli(['project', 'add', 'acme', '--url', issuer.mcpUrl, '--token-stdin'], a);
    const project = await services.projects.get('acme');
    const provider = createCredentialProvider({ dataDir: tmp.dataDir, project, env: tmp.env });
    try {
      const before = await provider.current();
      expect(before).toMatchObject({ ok: true, headers: { Authorization: `Bearer ${a}` } });
      expect((await cli(['token', 'rotate', 'acme', '--token-stdin'], b)).code).toBe(0);
      const deadline = Date.now() + 1000;
      let now = await provider.current();
      while (now.ok && now.headers.Authorization !== `Bearer ${b}` && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        now = await provider.current();
      }
      expect(now).toMatchObject({ ok: true, headers: { Authorization: `Bearer ${b}` } });
    } finally {
      provider.close();
    }
  });
});

describe('credential provider and the secret store', () => {
  it('keeps serving the token after the secret store is switched under it', async () => {
    const a = issuer.issue('a');
    await cli(['project', 'add', 'acme', '--url', issuer.mcpUrl, '--token-stdin'], a);
    const project = await services.projects.get('acme');
    const provider = createCredentialProvider({ dataDir: tmp.dataDir, project, env: tmp.env });
    try {
      expect(await provider.current()).toMatchObject({ ok: true });
      const moved = await cli(['settings', 'secret-store', 'file', '--yes']);
      expect(moved.code, moved.stderr).toBe(0);
      // Any later change to tokens.json makes the provider resolve again; by then the keychain
      // copy is gone and only the file store has the value.
      const other = await cli(
        ['token', 'add', 'acme', '--kind', 'issuer-key', '--name', 'k', '--token-stdin'],
        'k'.repeat(12),
      );
      expect(other.code, other.stderr).toBe(0);
      const deadline = Date.now() + 2000;
      let state = await provider.current();
      while (Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
        state = await provider.current();
      }
      expect(state).toMatchObject({ ok: true, headers: { Authorization: `Bearer ${a}` } });
    } finally {
      provider.close();
      await cli(['settings', 'secret-store', 'keychain']);
    }
  });
});

describe('switchboard test exit codes against a real server', () => {
  it('0 pass, 1 wrong token, 2 missing expected tool or failing tool', async () => {
    const good = issuer.issue('t');
    await cli(['project', 'add', 'acme', '--url', issuer.mcpUrl, '--token-stdin'], good);
    const pass = await cli([
      'test',
      'acme',
      '--expect-tools',
      'echo,add',
      '--tool',
      'add',
      '--args',
      '{"a":2,"b":3}',
      '--json',
    ]);
    expect(pass.code, pass.stderr).toBe(0);
    const report = JSON.parse(pass.stdout);
    expect(report).toMatchObject({ ok: true, exitCode: 0, call: { tool: 'add', isError: false } });
    expect(report.call.preview).toContain('5');
    expect(report.timings.initializeMs).toBeGreaterThanOrEqual(0);

    const wrong = await cli(
      ['test', issuer.mcpUrl, '--token-stdin', '--json'],
      'sbx_' + 'w'.repeat(30),
    );
    expect(wrong.code).toBe(1);
    const wr = JSON.parse(wrong.stdout);
    expect(wr.failure.kind).toBe('auth');
    expect(wrong.stdout + wrong.stderr).not.toContain('w'.repeat(30));

    const missing = await cli(['test', 'acme', '--expect-tools', 'echo,teleport']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('teleport');
    expect((await cli(['test', 'acme', '--tool', 'fail'])).code).toBe(2);

    const unreachable = await cli(['test', 'http://127.0.0.1:9/mcp', '--timeout', '3000']);
    expect(unreachable.code).toBe(1);
  });
});
