import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { readAuthStatus } from '../oauth/auth-status.js';
import { requireKeyringSession } from '../testing/keyring-session.js';
import {
  connectThroughEntry,
  oauthCliHarness,
  type OAuthCliHarness,
} from '../testing/oauth-cli-harness.js';
import { startOAuthTestServer, type OAuthTestServer } from '../testing/oauth-server.js';
import { makeTempHome, type TempHome } from '../testing/temp-home.js';
import { switchboardProjectId } from './bridge-command.js';
import { CLIENT_DEFS } from './defs/index.js';
import { clientLocations } from './locations.js';

// Issue 17 §4: an mcp-remote entry for an OAuth server (no header, mcp-remote's OAuth files on
// disk) becomes an `oauth` project + bridge entry with the same name, marked "sign-in needed".
// Real peers: the built CLI, the real AS + resource server, the real Secret Service, a bridge
// spawned from the rewritten entry with a client's stripped environment.
const OLD_ACCESS = 'mra_' + 'Acc3ssT0kenV4lue0123456789abcdefXYZ';

let tmp: TempHome;
let as: OAuthTestServer;
let h: OAuthCliHarness;
let desktop: string;

beforeEach(async () => {
  requireKeyringSession();
  tmp = await makeTempHome('sb-oauth-migrate-');
  h = oauthCliHarness(tmp);
  as = await startOAuthTestServer();
  desktop = clientLocations({ platform: 'linux', env: h.env, home: tmp.home })['claude-desktop']
    .user[0]!;
  await fs.mkdir(path.dirname(desktop), { recursive: true });
  await fs.writeFile(
    desktop,
    JSON.stringify(
      { mcpServers: { 'Team Wiki': { command: 'npx', args: ['-y', 'mcp-remote', as.mcpUrl] } } },
      null,
      2,
    ),
  );
  // What mcp-remote leaves after its own sign-in: files named by md5 of the server URL.
  const dir = path.join(tmp.home, '.mcp-auth', 'mcp-remote-0.1.29');
  await fs.mkdir(dir, { recursive: true });
  const hash = createHash('md5').update(as.mcpUrl).digest('hex');
  await fs.writeFile(
    path.join(dir, `${hash}_tokens.json`),
    JSON.stringify({ access_token: OLD_ACCESS, token_type: 'Bearer', expires_in: 3600 }),
  );
});
afterEach(async () => {
  await as?.close();
  await tmp.cleanup();
});

function readEntry(text: string, name: string) {
  const config = JSON.parse(text) as {
    mcpServers: Record<string, { command: string; args: string[]; env?: Record<string, string> }>;
  };
  return config.mcpServers[name];
}

it('doctor --fix moves an mcp-remote OAuth entry to an oauth project that needs a sign-in; login makes it work', async () => {
  const findings = JSON.parse((await h.cli(['doctor', '--json'])).stdout) as Array<{
    entry?: string;
    kind: string;
    fix?: string;
    message: string;
  }>;
  const remote = findings.find((f) => f.entry === 'Team Wiki' && f.kind === 'manageable-remote')!;
  expect(remote.fix).toBe('move-to-switchboard');
  expect(remote.message).toContain('OAuth');

  const r = await h.cli(['doctor', '--fix', '--yes']);
  expect(r.stdout).toContain('new OAuth project "team-wiki"; it needs one sign-in');
  expect(r.stdout).toContain('Sign in to finish: switchboard login team-wiki');
  expect(r.stdout + r.stderr).not.toContain(OLD_ACCESS);
  // Nothing reached the server: the move itself signs nothing in and opens no browser.
  expect(as.authorizeRequests).toHaveLength(0);
  expect(await h.browserOpens()).toHaveLength(0);

  const projects = JSON.parse(await fs.readFile(path.join(tmp.dataDir, 'projects.json'), 'utf8'))
    .projects as Array<{
    id: string;
    name: string;
    url: string;
    auth: string;
    displayName?: string;
  }>;
  expect(projects).toHaveLength(1);
  const project = projects[0]!;
  expect(project).toMatchObject({ name: 'team-wiki', url: as.mcpUrl, auth: 'oauth' });
  expect(await readAuthStatus(tmp.dataDir, project.id)).toMatchObject({
    status: 'sign-in-needed',
  });
  expect((await readAuthStatus(tmp.dataDir, project.id))!.message).toContain(
    'switchboard login team-wiki',
  );

  // The entry keeps its name and now runs the bridge for the new project.
  const entry = readEntry(await fs.readFile(desktop, 'utf8'), 'Team Wiki')!;
  expect(entry.args.join(' ')).not.toContain('mcp-remote');
  expect(switchboardProjectId(CLIENT_DEFS['claude-desktop'].readStdio(entry))).toBe(project.id);

  await h.ok(['login', 'team-wiki', '--consent']);
  expect((await readAuthStatus(tmp.dataDir, project.id))?.status).toBe('signed-in');
  const { client } = await connectThroughEntry(entry, h.clientEnv(entry.env));
  try {
    const result = (await client.callTool({ name: 'echo', arguments: { text: 'moved' } })) as {
      content: Array<{ text?: string }>;
    };
    expect(result.content[0]?.text).toBe('moved');
  } finally {
    await client.close();
  }
});
