import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { readAuthStatus } from '../oauth/auth-status.js';
import { oauthStore, readStoredTokens } from '../oauth/grant-store.js';
import { requireKeyringSession } from '../testing/keyring-session.js';
import {
  connectThroughEntry,
  oauthCliHarness,
  type OAuthCliHarness,
} from '../testing/oauth-cli-harness.js';
import {
  startOAuthTestServer,
  type OAuthTestServer,
  type OAuthTestServerOptions,
} from '../testing/oauth-server.js';
import { mcpRemoteConfigDir, signInWithRealMcpRemote } from '../testing/real-mcp-remote.js';
import { CLI_PATH, REPO_ROOT, type CliResult } from '../testing/run-cli.js';
import { findSecretsInFiles } from '../testing/secret-scan.js';
import { makeTempHome, type TempHome } from '../testing/temp-home.js';
import { until } from '../testing/until.js';
import { createServices } from '../services.js';
import { acquireFileLock } from '../store/file-lock.js';
import { openSecretStore } from '../vault/open-secret-store.js';
import type { SecretStore } from '../vault/secret-store.js';
import { clientsHandlers } from './clients-handlers.js';
import { CLIENT_DEFS } from './defs/index.js';
import { clientLocations } from './locations.js';
import { mcpRemoteHash } from './mcp-remote-auth.js';

// Issue 17 §4: doctor --fix imports the grant mcp-remote keeps in plaintext into the keychain.
// Real peers throughout: mcp-remote 0.15.1 itself signs in against the real test AS (in a private
// network namespace) and writes its own files; the built CLI runs doctor with the real Secret
// Service; the check is a real call; the bridge is spawned from the entry as a client spawns it.

let tmp: TempHome;
let as: OAuthTestServer;
let h: OAuthCliHarness;
const runs: CliResult[] = [];

async function setUp(opts: OAuthTestServerOptions = {}) {
  requireKeyringSession();
  tmp = await makeTempHome('sb-mcp-remote-import-');
  h = oauthCliHarness(tmp);
  as = await startOAuthTestServer(opts);
  await signInWithRealMcpRemote({ home: tmp.home, mcpUrl: as.mcpUrl });
}
beforeEach(() => {
  runs.length = 0;
});
afterEach(async () => {
  await as?.close();
  await tmp?.cleanup();
});

const cli = async (args: string[]) => {
  const r = await h.cli(args);
  runs.push(r);
  return r;
};
const files = () => {
  const hash = mcpRemoteHash({ url: as.mcpUrl });
  const dir = mcpRemoteConfigDir(tmp.home);
  return {
    tokens: path.join(dir, `${hash}_tokens.json`),
    clientInfo: path.join(dir, `${hash}_client_info.json`),
  };
};
const readJson = async (file: string) =>
  JSON.parse(await fs.readFile(file, 'utf8')) as Record<string, unknown>;
const exists = (file: string) =>
  fs.access(file).then(
    () => true,
    () => false,
  );
const keychain = () => openSecretStore(tmp.dataDir, 'keychain');

interface FindingJson {
  kind: string;
  path: string;
  fix?: string;
  message: string;
  grant?: { project?: string; state: string; imported: boolean };
}
async function tokenFinding(): Promise<FindingJson | undefined> {
  const r = await cli(['doctor', '--json']);
  return (JSON.parse(r.stdout) as FindingJson[]).find((f) => f.path === files().tokens);
}

/** No token value in any output, nor in any file but mcp-remote's own. */
async function expectNoLeaks() {
  const secrets = as.issuedSecrets();
  expect(secrets.length).toBeGreaterThan(0);
  for (const r of runs) {
    for (const s of secrets) expect(r.stdout + r.stderr).not.toContain(s);
  }
  const hits = await findSecretsInFiles([tmp.home], secrets);
  expect(hits.filter((f) => !f.startsWith(path.join(tmp.home, '.mcp-auth')))).toEqual([]);
}

/** The CLI on a real pseudo-terminal (util-linux `script`): one answer per `[y/N]` prompt. */
async function cliOnTerminal(args: string[], answers: string[]): Promise<CliResult> {
  const child = spawn(
    'script',
    ['-qfec', [process.execPath, CLI_PATH, ...args].join(' '), '/dev/null'],
    {
      env: h.env,
      cwd: REPO_ROOT,
    },
  );
  let out = '';
  let asked = 0;
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    const prompts = out.split('[y/N]').length - 1;
    while (asked < prompts && asked < answers.length) child.stdin.write(`${answers[asked++]}\n`);
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no exit; output:\n${out}`));
    }, 20_000); // below the test's own timeout, so this error (with the output) is what shows
    child.on('close', (c) => {
      clearTimeout(timer);
      resolve(c);
    });
  });
  expect(asked, out).toBe(answers.length);
  const r = { code, stdout: out, stderr: '' } as CliResult;
  runs.push(r);
  return r;
}

async function addOAuthProject() {
  const r = await cli(['project', 'add', 'team-wiki', '--url', as.mcpUrl, '--auth', 'oauth']);
  expect(r.code, r.stderr).toBe(0);
  const list = JSON.parse(await fs.readFile(path.join(tmp.dataDir, 'projects.json'), 'utf8'))
    .projects as Array<{ id: string; name: string }>;
  return list.find((p) => p.name === 'team-wiki')!.id;
}

it('moves the mcp-remote entry, imports its grant after consent, verifies it, and deletes the files only when asked', async () => {
  await setUp();
  const written = await readJson(files().tokens);
  const client = await readJson(files().clientInfo);
  // mcp-remote's own layout: expires_at in milliseconds next to expires_in in seconds.
  expect(typeof written.expires_at).toBe('number');
  expect(written.expires_at as number).toBeGreaterThan(Date.now());
  expect(as.authorizeRequests).toHaveLength(1);

  const desktop = clientLocations({ platform: 'linux', env: h.env, home: tmp.home })[
    'claude-desktop'
  ].user[0]!;
  await fs.mkdir(path.dirname(desktop), { recursive: true });
  await fs.writeFile(
    desktop,
    JSON.stringify({
      mcpServers: { 'Team Wiki': { command: 'npx', args: ['-y', 'mcp-remote', as.mcpUrl] } },
    }),
  );
  // Before the move there is no project to import into: reported, nothing offered.
  const before = await tokenFinding();
  expect(before?.fix).toBeUndefined();
  expect(before?.message).toContain('used by "Team Wiki"');

  // --yes answers the entry's prompt only; the OAuth consent is --consent, as for a sign-in.
  const fixed = await cli(['doctor', '--fix', '--yes', '--consent']);
  expect(fixed.code).toBe(1); // the plaintext files are still there
  expect(fixed.stdout).toContain('new OAuth project "team-wiki"');
  expect(fixed.stdout).toMatch(
    /Imported mcp-remote's grant into project team-wiki \(keychain\) and verified it with a call \(\d+ tools\)/,
  );
  expect(fixed.stdout).toContain(`Kept ${files().tokens}`);
  expect(fixed.stderr).toContain('Sign in to team-wiki'); // the sign-in consent facts
  expect(fixed.stderr).toContain(`client       ${client.client_id as string}`);

  const oauth = await oauthStore(tmp.dataDir).read();
  const [projectId, grant] = Object.entries(oauth.grants)[0]!;
  expect(grant).toMatchObject({
    clientId: client.client_id,
    clientKind: 'dynamic',
    refreshPresent: true,
    imported: { from: 'mcp-remote', hash: mcpRemoteHash({ url: as.mcpUrl }) },
  });
  expect(oauth.registrations[projectId]?.[grant.issuer]).toMatchObject({
    clientId: client.client_id,
    importedFrom: 'mcp-remote',
  });
  const stored = await readStoredTokens(keychain(), projectId);
  expect(stored?.access_token).toBe(written.access_token);
  expect(stored?.refresh_token).toBe(written.refresh_token);
  expect((await readAuthStatus(tmp.dataDir, projectId))?.status).toBe('signed-in');
  const consents = (await readJson(path.join(tmp.dataDir, 'consents.json'))).consents as Array<{
    kind: string;
    clientId: string;
  }>;
  expect(consents).toEqual([
    expect.objectContaining({ kind: 'oauth-grant', clientId: client.client_id }),
  ]);

  // The entry's bridge works with the imported grant: no new sign-in, no browser.
  const entry = (
    JSON.parse(await fs.readFile(desktop, 'utf8')) as {
      mcpServers: Record<string, { command: string; args: string[]; env?: Record<string, string> }>;
    }
  ).mcpServers['Team Wiki']!;
  expect(CLIENT_DEFS['claude-desktop'].readStdio(entry)?.args).toContain(projectId);
  const { client: mcp } = await connectThroughEntry(entry, h.clientEnv(entry.env));
  try {
    const result = (await mcp.callTool({ name: 'echo', arguments: { text: 'imported' } })) as {
      content: Array<{ text?: string }>;
    };
    expect(result.content[0]?.text).toBe('imported');
  } finally {
    await mcp.close();
  }
  expect(as.authorizeRequests).toHaveLength(1);
  expect(await h.browserOpens()).toEqual([]);

  // The files go only with their own confirmation: never implied by --yes or by no terminal.
  const offered = await tokenFinding();
  expect(offered).toMatchObject({
    fix: 'delete-plaintext',
    grant: { project: 'team-wiki', imported: true },
  });
  const kept = await cli(['doctor', '--fix', '--yes']);
  expect(kept.stdout).toContain('--delete-imported-plaintext');
  expect(await exists(files().tokens)).toBe(true);
  const deleted = await cli(['doctor', '--fix', '--delete-imported-plaintext']);
  expect(deleted.code, deleted.stdout).toBe(0);
  expect(deleted.stdout).toContain(`Deleted ${files().tokens}, ${files().clientInfo}.`);
  expect(await exists(files().tokens)).toBe(false);
  expect(await exists(files().clientInfo)).toBe(false);
  expect(await tokenFinding()).toBeUndefined();
  await expectNoLeaks();
});

it('imports nothing without consent', async () => {
  await setUp();
  const projectId = await addOAuthProject();
  const tokensBefore = await fs.readFile(files().tokens, 'utf8');
  expect(await tokenFinding()).toMatchObject({
    fix: 'import-grant',
    grant: { project: 'team-wiki', state: 'valid', imported: false },
  });

  const r = await cli(['doctor', '--fix']);
  expect(r.stdout).toContain('Not imported: no consent.');
  expect(r.stdout).toContain('Without a terminal, pass --consent.');
  expect((await oauthStore(tmp.dataDir).read()).grants).toEqual({});
  expect(await readStoredTokens(keychain(), projectId)).toBeUndefined();
  expect(await fs.readFile(files().tokens, 'utf8')).toBe(tokensBefore);
  expect(await exists(path.join(tmp.dataDir, 'consents.json'))).toBe(false);

  // Once the project is signed in through Switchboard, the copy is never offered over it.
  const login = await cli(['login', 'team-wiki', '--consent']);
  expect(login.code, login.stderr).toBe(0);
  const after = await tokenFinding();
  expect(after?.fix).toBeUndefined();
  expect(after?.message).toContain('signed in through Switchboard already');
  await expectNoLeaks();
});

it('rolls the keychain back and keeps the files when the check call fails (grant revoked)', async () => {
  await setUp();
  const projectId = await addOAuthProject();
  const tokensBefore = await fs.readFile(files().tokens, 'utf8');
  const clientBefore = await fs.readFile(files().clientInfo, 'utf8');
  const oauthBefore = await oauthStore(tmp.dataDir).read();
  const statusBefore = await readAuthStatus(tmp.dataDir, projectId);
  as.revokeAll();

  const r = await cli(['doctor', '--fix', '--consent']);
  const line = r.stdout.split('\n').find((l) => l.startsWith('Not imported'));
  expect(line).toMatch(
    /^Not imported: the check call to team-wiki failed \(.+\); the keychain is as it was and mcp-remote's files are kept\. Sign in with switchboard login team-wiki\.$/,
  );
  expect(await readStoredTokens(keychain(), projectId)).toBeUndefined();
  expect(await oauthStore(tmp.dataDir).read()).toEqual(oauthBefore);
  expect(await readAuthStatus(tmp.dataDir, projectId)).toEqual(statusBefore);
  expect(await fs.readFile(files().tokens, 'utf8')).toBe(tokensBefore);
  expect(await fs.readFile(files().clientInfo, 'utf8')).toBe(clientBefore);
  expect(await exists(path.join(tmp.dataDir, 'consents.json'))).toBe(false);
  expect((await tokenFinding())?.fix).toBe('import-grant');
  await expectNoLeaks();
});

it('an expired access token with a refresh token: the import refreshes it once and works', async () => {
  await setUp({ accessTtlSeconds: 2 });
  const projectId = await addOAuthProject();
  const written = await readJson(files().tokens);
  // Wait (bounded) until mcp-remote's access token has really expired.
  await until(() => Date.now() > (written.expires_at as number) + 200, 10_000);
  as.setAccessTtl(3600);
  const refreshesBefore = as.refreshRequests;
  expect((await tokenFinding())?.grant?.state).toBe('refreshable');

  const r = await cli(['doctor', '--fix', '--consent']);
  expect(r.stdout).toContain('the expired access token was refreshed');
  expect(as.refreshRequests - refreshesBefore).toBe(1);
  const stored = await readStoredTokens(keychain(), projectId);
  expect(stored?.access_token).toBeDefined();
  expect(stored?.access_token).not.toBe(written.access_token);

  const tested = await cli(['test', 'team-wiki', '--json']);
  expect(tested.code, tested.stdout).toBe(0);
  expect(as.refreshRequests - refreshesBefore).toBe(1);
  await expectNoLeaks();
});

it('an expired grant without a refresh token is not imported: it says to sign in', async () => {
  await setUp({ refreshTokens: false, accessTtlSeconds: 1 });
  await addOAuthProject();
  const finding = await tokenFinding();
  expect(finding?.fix).toBeUndefined();
  expect(finding?.grant?.state).toBe('expired');
  expect(finding?.message).toContain('sign in with switchboard login team-wiki');
  const r = await cli(['doctor', '--fix', '--consent']);
  expect(r.stdout).not.toContain('Imported');
  expect((await oauthStore(tmp.dataDir).read()).grants).toEqual({});
  await expectNoLeaks();
});

it(
  'on a terminal it asks for the consent, then separately about deleting (default No)',
  {
    timeout: 60_000,
  },
  async () => {
    await setUp();
    const projectId = await addOAuthProject();
    const first = await cliOnTerminal(['doctor', '--fix'], ['y', '']);
    expect(first.stdout).toContain('Import this grant into the keychain? [y/N]');
    expect(first.stdout).toContain('Imported mcp-remote');
    expect(first.stdout).toContain('Delete mcp-remote');
    expect(first.stdout).toContain(`Kept ${files().tokens}`);
    expect(await exists(files().tokens)).toBe(true);
    expect((await readStoredTokens(keychain(), projectId))?.access_token).toBeDefined();

    const second = await cliOnTerminal(['doctor', '--fix'], ['y']);
    expect(second.stdout).not.toContain('Import this grant');
    expect(second.stdout).toContain(`Deleted ${files().tokens}`);
    expect(await exists(files().tokens)).toBe(false);
    expect(await exists(files().clientInfo)).toBe(false);

    // A later sign-in through Switchboard registers its own client: mcp-remote's registration has
    // mcp-remote's redirect URI, which Switchboard's loopback listener does not use.
    expect(as.registrations).toHaveLength(1);
    const login = await cli(['login', 'team-wiki', '--consent']);
    expect(login.code, login.stderr).toBe(0);
    expect(as.registrations).toHaveLength(2);
    const after = await oauthStore(tmp.dataDir).read();
    expect(after.grants[projectId]?.clientId).toBe(as.registrations[1]!.client_id);
    expect(after.registrations[projectId]?.[after.grants[projectId]!.issuer]?.importedFrom).toBe(
      undefined,
    );
    await expectNoLeaks();
  },
);

/** The CLI as a child this test can kill mid-way (as Ctrl-C or a closed terminal would). */
function spawnCli(args: string[]) {
  return spawn(process.execPath, [CLI_PATH, ...args], {
    env: h.env,
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/**
 * A tools/call through the entry's real bridge, spawned as a client spawns it: undefined when it
 * works, else the error (a bridge without credentials already fails the initialize).
 */
async function bridgeCallError(entry: {
  command: string;
  args: string[];
  env?: Record<string, string>;
}): Promise<{ code?: number; message: string } | undefined> {
  let mcp: Awaited<ReturnType<typeof connectThroughEntry>>['client'] | undefined;
  try {
    mcp = (await connectThroughEntry(entry, h.clientEnv(entry.env))).client;
    await mcp.callTool({ name: 'echo', arguments: { text: 'x' } });
    return undefined;
  } catch (error) {
    return error as { code?: number; message: string };
  } finally {
    await mcp?.close();
  }
}

it('an import killed during its check call is not a sign-in: bridges refuse it, the next doctor rolls it back', async () => {
  await setUp();
  const projectId = await addOAuthProject();
  const entry = await h.installEntry('team-wiki');
  const oauthBefore = await oauthStore(tmp.dataDir).read();
  const statusBefore = await readAuthStatus(tmp.dataDir, projectId);
  as.setMcpOutage('hang'); // the check call never answers: the import sits in its check
  const calls = as.mcpCalls;

  const child = spawnCli(['doctor', '--fix', '--consent']);
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  try {
    // Bounded: the grant is written and its check call has reached the server; then the kill.
    await until(
      async () =>
        as.mcpCalls > calls && Boolean((await oauthStore(tmp.dataDir).read()).grants[projectId]),
      20_000,
    );
  } finally {
    child.kill('SIGKILL');
    await exited;
  }
  as.setMcpOutage('none');
  const left = (await oauthStore(tmp.dataDir).read()).grants[projectId];
  expect(left?.pending).toMatchObject({
    from: 'mcp-remote',
    hash: mcpRemoteHash({ url: as.mcpUrl }),
  });
  expect(left?.imported).toBeUndefined();

  // Not a sign-in: the bridge's credential path refuses it (-32081, sign in), and so does test.
  const refused = await bridgeCallError(entry);
  expect(refused?.code).toBe(-32081);
  expect(refused?.message).toContain('switchboard login team-wiki');
  const tested = await cli(['test', 'team-wiki', '--json']);
  expect(tested.code).not.toBe(0);
  expect(tested.stdout + tested.stderr).toContain('sign-in needed');

  // The next doctor run rolls it back: no grant, no tokens, the status as it was.
  const doctor = await cli(['doctor']);
  expect(doctor.stdout).toContain(
    "An import of mcp-remote's grant into project team-wiki was interrupted before a call verified it: rolled back",
  );
  expect(await oauthStore(tmp.dataDir).read()).toEqual(oauthBefore);
  expect(await readStoredTokens(keychain(), projectId)).toBeUndefined();
  expect(await readAuthStatus(tmp.dataDir, projectId)).toEqual(statusBefore);
  expect((await tokenFinding())?.fix).toBe('import-grant');

  // And the import works again from there.
  const again = await cli(['doctor', '--fix', '--consent']);
  expect(again.stdout).toContain("Imported mcp-remote's grant into project team-wiki");
  expect(await bridgeCallError(entry)).toBeUndefined();
  await expectNoLeaks();
}, 60_000);

it('a check that fails after a rotating refresh says that mcp-remote must sign in again (and it must)', async () => {
  await setUp({ accessTtlSeconds: 2 });
  const projectId = await addOAuthProject();
  const written = await readJson(files().tokens);
  const client = await readJson(files().clientInfo);
  await until(() => Date.now() > (written.expires_at as number) + 200, 10_000);
  as.setAccessTtl(3600);
  as.setMcpOutage('error'); // the refresh works; the call after it gets a 503
  const oauthBefore = await oauthStore(tmp.dataDir).read();
  const refreshesBefore = as.refreshRequests;

  const r = await cli(['doctor', '--fix', '--consent']);
  expect(as.refreshRequests - refreshesBefore).toBe(1);
  const line = r.stdout.split('\n').find((l) => l.startsWith('Not imported'));
  expect(line).toContain(
    'the check refreshed the expired access token, then the call to team-wiki failed',
  );
  expect(line).toContain(
    "The server replaced the refresh token when it refreshed, so mcp-remote's copy no longer works: mcp-remote will have to sign in again",
  );
  expect(await oauthStore(tmp.dataDir).read()).toEqual(oauthBefore);
  expect(await readStoredTokens(keychain(), projectId)).toBeUndefined();

  // What the message says is true: mcp-remote's refresh token is spent at the AS.
  const reused = await fetch(new URL('/token', as.issuer), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: written.refresh_token as string,
      client_id: client.client_id as string,
    }),
  });
  expect(reused.status).toBe(400);
  expect(((await reused.json()) as { error: string }).error).toBe('invalid_grant');
  await expectNoLeaks();
});

it('--yes alone imports nothing and says that the import takes --consent', async () => {
  await setUp();
  const projectId = await addOAuthProject();
  const r = await cli(['doctor', '--fix', '--yes']);
  expect(r.stdout).toContain(
    'Not imported: no consent. Import it later with switchboard doctor --fix (or sign in with switchboard login team-wiki). --yes does not consent to an import; to import, pass --consent (the consent of a sign-in).',
  );
  expect((await oauthStore(tmp.dataDir).read()).grants).toEqual({});
  expect(await readStoredTokens(keychain(), projectId)).toBeUndefined();
  expect(await exists(path.join(tmp.dataDir, 'consents.json'))).toBe(false);
  await expectNoLeaks();
});

it('a grant that needs a refresh is refused when mcp-remote recorded no issuer', async () => {
  await setUp({ accessTtlSeconds: 2 });
  const projectId = await addOAuthProject();
  // Older mcp-remote releases recorded no issuer: the same files without it.
  for (const file of [files().tokens, files().clientInfo]) {
    const { issuer: _issuer, ...rest } = await readJson(file);
    await fs.writeFile(file, JSON.stringify(rest));
  }
  const written = await readJson(files().tokens);
  await until(() => Date.now() > (written.expires_at as number) + 200, 10_000);
  const refreshesBefore = as.refreshRequests;

  const r = await cli(['doctor', '--fix', '--consent']);
  expect(r.stdout).toContain(
    "Not imported: mcp-remote's access token for team-wiki has expired, and mcp-remote did not record which authorization server issued the grant",
  );
  expect(as.refreshRequests).toBe(refreshesBefore); // the refresh token went nowhere
  expect((await oauthStore(tmp.dataDir).read()).grants).toEqual({});
  expect(await readStoredTokens(keychain(), projectId)).toBeUndefined();
  await expectNoLeaks();
});

it('one grant failing (server gone) is listed with its reason; the other is imported; --json prints', async () => {
  await setUp();
  await addOAuthProject();
  // A second server, signed in by mcp-remote too, whose project then goes away from the network.
  const other = await startOAuthTestServer();
  try {
    await signInWithRealMcpRemote({ home: tmp.home, mcpUrl: other.mcpUrl });
    const add = await cli(['project', 'add', 'gone', '--url', other.mcpUrl, '--auth', 'oauth']);
    expect(add.code, add.stderr).toBe(0);
  } finally {
    await other.close();
  }
  const r = await cli(['doctor', '--fix', '--consent', '--json']);
  const out = JSON.parse(r.stdout) as {
    imported: Array<{ project: string }>;
    notImported: Array<{ path: string; reason: string }>;
  };
  expect(out.imported.map((i) => i.project)).toEqual(['team-wiki']);
  expect(out.notImported).toHaveLength(1);
  expect(out.notImported[0]!.path).toContain(mcpRemoteHash({ url: other.mcpUrl }));
  expect(out.notImported[0]!.reason).toContain(`OAuth discovery for ${other.mcpUrl} failed`);
  for (const s of [...as.issuedSecrets(), ...other.issuedSecrets()]) {
    expect(r.stdout + r.stderr).not.toContain(s);
  }
});

it(
  'a failure after the check (consent ledger locked) rolls everything back, the status exactly as it was',
  {
    timeout: 60_000,
  },
  async () => {
    await setUp();
    const projectId = await addOAuthProject();
    // A status from earlier, with its own time: a rollback must not even touch `since`.
    await fs.writeFile(
      path.join(tmp.dataDir, 'auth-status.json'),
      JSON.stringify({
        version: 1,
        projects: {
          [projectId]: {
            status: 'sign-in-needed',
            message: 'Sign in to team-wiki again.',
            since: '2026-11-30T08:00:00.000Z',
          },
        },
      }),
    );
    const oauthBefore = await oauthStore(tmp.dataDir).read();
    const statusBefore = await readAuthStatus(tmp.dataDir, projectId);
    // Another live process (this test) holds the consent ledger's lock past the CLI's wait.
    const lockfile = (await import('proper-lockfile')).default;
    const release = await acquireFileLock(lockfile, path.join(tmp.dataDir, 'consents.json'), {
      what: 'consents.json',
    });
    let r: CliResult;
    try {
      r = await h.cli(['doctor', '--fix', '--consent', '--json'], undefined, 45_000);
    } finally {
      await release();
    }
    runs.push(r);
    const out = JSON.parse(r.stdout) as {
      imported: unknown[];
      notImported: Array<{ reason: string }>;
    };
    expect(out.imported).toEqual([]);
    expect(out.notImported[0]?.reason).toContain('holds the lock');
    expect(as.mcpCalls).toBeGreaterThan(0); // the check call itself had passed
    expect(await oauthStore(tmp.dataDir).read()).toEqual(oauthBefore);
    expect(await readStoredTokens(keychain(), projectId)).toBeUndefined();
    expect(await readAuthStatus(tmp.dataDir, projectId)).toEqual(statusBefore);
    await expectNoLeaks();
  },
);

it('a failing restore keeps the original error first and leaves the grant unusable for doctor to roll back', async () => {
  await setUp();
  const projectId = await addOAuthProject();
  const real = keychain();
  // The real keychain, except that deleting this project's tokens fails (a locked keychain
  // mid-rollback cannot be produced on demand here).
  let failDeletes = false;
  const flaky: SecretStore = {
    kind: real.kind,
    get: (a) => real.get(a),
    set: (a, v) => real.set(a, v),
    delete: async (a) => {
      if (failDeletes && a === `oauth-tokens:${projectId}`) throw new Error('keychain locked');
      return real.delete(a);
    },
  };
  const services = createServices({ dataDir: tmp.dataDir, env: h.env, secrets: flaky });
  const finding = (await services.doctor.findings()).find((f) => f.fix === 'import-grant')!;
  as.revokeAll();
  failDeletes = true;
  const error = await services.mcpRemoteImport
    .import(finding.id, { source: 'cli', confirm: async () => true })
    .then(
      () => undefined,
      (e: unknown) => e as Error,
    );
  expect(error?.message).toMatch(/^Not imported: the check call to team-wiki failed \(/);
  expect(error?.message).toContain(
    'Putting the previous state back failed too (keychain locked): the keychain still holds the unverified tokens, unused by anything',
  );
  // The record went first, so nothing uses the tokens left in the keychain.
  expect((await oauthStore(tmp.dataDir).read()).grants[projectId]).toBeUndefined();
  failDeletes = false;
  await real.delete(`oauth-tokens:${projectId}`);
});

it("the window's import is refused when the grant differs from the preview its consent was given on", async () => {
  await setUp();
  const projectId = await addOAuthProject();
  const services = createServices({ dataDir: tmp.dataDir, env: h.env });
  const handlers = clientsHandlers(services);
  const finding = (await services.doctor.findings()).find((f) => f.fix === 'import-grant')!;
  const preview = await handlers['doctor.importPreview']({ id: finding.id });
  const shown = {
    issuer: preview.consent.issuer,
    clientId: preview.consent.client.clientId!,
    scopes: preview.consent.scopes.map((s) => s.scope),
    fileSha256: preview.fileSha256,
  };
  const refusal = (expect: typeof shown) =>
    Promise.resolve(handlers['doctor.importGrant']({ id: finding.id, expect })).then(
      () => undefined,
      (e: unknown) => e as { code: string; message: string },
    );
  // Another issuer or client, fewer scopes: each refused, nothing written.
  for (const changed of [
    { ...shown, issuer: 'https://other.example/' },
    { ...shown, clientId: 'someone-else' },
    { ...shown, scopes: [] },
  ]) {
    expect(await refusal(changed)).toMatchObject({ code: 'CONFLICT' });
  }
  // mcp-remote rewrote its file after the dialog opened (e.g. it refreshed): refused too.
  const tokens = await fs.readFile(files().tokens, 'utf8');
  await fs.writeFile(files().tokens, `${tokens}\n`);
  expect((await refusal(shown))?.message).toContain("mcp-remote's files changed since the dialog");
  expect((await oauthStore(tmp.dataDir).read()).grants).toEqual({});
  expect(await readStoredTokens(keychain(), projectId)).toBeUndefined();
  // What the dialog showed, as it is now: imported.
  const fresh = await handlers['doctor.importPreview']({ id: finding.id });
  const done = await handlers['doctor.importGrant']({
    id: finding.id,
    expect: { ...shown, fileSha256: fresh.fileSha256 },
  });
  expect(done.project).toBe('team-wiki');
  expect((await oauthStore(tmp.dataDir).read()).grants[projectId]?.imported).toBeDefined();
});

it('a valid grant without a recorded issuer is imported without its refresh token, and it says so', async () => {
  await setUp();
  const projectId = await addOAuthProject();
  for (const file of [files().tokens, files().clientInfo]) {
    const { issuer: _issuer, ...rest } = await readJson(file);
    await fs.writeFile(file, JSON.stringify(rest));
  }
  const written = await readJson(files().tokens);
  const r = await cli(['doctor', '--fix', '--consent']);
  const note =
    'mcp-remote did not record which authorization server issued this grant, so Switchboard leaves its refresh token out';
  expect(r.stderr).toContain(note); // with the consent
  expect(r.stdout).toContain("Imported mcp-remote's grant into project team-wiki");
  expect(r.stdout).toContain(note); // and with the result
  const stored = await readStoredTokens(keychain(), projectId);
  expect(stored?.access_token).toBe(written.access_token);
  expect(stored?.refresh_token).toBeUndefined();
  expect((await oauthStore(tmp.dataDir).read()).grants[projectId]?.refreshPresent).toBe(false);
  await expectNoLeaks();
});
