import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnBridge, type BridgeProcess } from '../testing/bridge-process.js';
import { startHostileServer, type HostileServer } from '../testing/hostile-server.js';
import { runCliProcess } from '../testing/run-cli.js';
import { makeTempHome, type TempHome } from '../testing/temp-home.js';
import { ProjectsService } from './projects-service.js';

// Issue 16 item 2 (follow-up): projects stored by an earlier release with credentials in their
// URL. The built CLI and bridge in a temp HOME, the real Secret Service (with-keyring.sh), a
// raw MCP endpoint on 127.0.0.1 that records the URLs it was called on.
const QUERY_SECRET = 'legacyQuerySecret0123456789abcdef';
const PASSWORD = 'hunter2-basic-pass-xyz';
const USER = 'alice-basic-user';

let home: TempHome;
let server: HostileServer;
let bridge: BridgeProcess | undefined;
const seenUrls: string[] = [];

beforeEach(async () => {
  home = await makeTempHome('sb-urlcred-');
  seenUrls.length = 0;
  server = await startHostileServer({
    onRequest: ({ message, req, res }) => {
      seenUrls.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ jsonrpc: '2.0', id: message.id, result: { content: [] } }));
    },
  });
  const projects = new ProjectsService(home.dataDir);
  await projects.add({ name: 'legacy', url: server.url });
  await projects.add({ name: 'basic', url: server.url });
  // What an earlier release stored: the credentials inside the URL, in projects.json.
  const file = path.join(home.dataDir, 'projects.json');
  const doc = JSON.parse(await fs.readFile(file, 'utf8')) as {
    projects: { name: string; url: string }[];
  };
  const withCreds = new URL(server.url);
  for (const p of doc.projects) {
    const u = new URL(withCreds.href);
    if (p.name === 'legacy') u.search = `?region=eu&api_key=${QUERY_SECRET}`;
    else {
      u.username = USER;
      u.password = PASSWORD;
    }
    p.url = u.href;
  }
  await fs.writeFile(file, JSON.stringify(doc, null, 2), { mode: 0o600 });
});

afterEach(async () => {
  bridge?.kill();
  bridge = undefined;
  await server.close();
  await home.cleanup();
});

function noValuesIn(text: string): void {
  expect(text).not.toContain(QUERY_SECRET);
  expect(text).not.toContain(PASSWORD);
  expect(text).not.toContain(USER);
}

describe('credentials in a stored project URL', () => {
  it('doctor reports both kinds by name only (exit 1); --fix on a pipe without --yes changes nothing', async () => {
    const r = await runCliProcess(['doctor'], { env: home.env });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toContain('[url-credential] Switchboard project legacy');
    expect(r.stdout).toContain('holds a secret in its query (api_key)');
    expect(r.stdout).toContain('[url-credential] Switchboard project basic');
    expect(r.stdout).toContain('switchboard project edit basic --url');
    noValuesIn(r.stdout + r.stderr);

    const json = await runCliProcess(['doctor', '--json'], { env: home.env });
    const found = (JSON.parse(json.stdout) as { kind: string; project?: string; where?: string }[])
      .filter((f) => f.kind === 'url-credential')
      .map((f) => [f.project, f.where]);
    expect(found).toEqual(
      expect.arrayContaining([
        ['legacy', 'query'],
        ['basic', 'userinfo'],
      ]),
    );
    noValuesIn(json.stdout);

    const before = await fs.readFile(path.join(home.dataDir, 'projects.json'), 'utf8');
    const refused = await runCliProcess(['doctor', '--fix'], { env: home.env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('pass --yes');
    expect(await fs.readFile(path.join(home.dataDir, 'projects.json'), 'utf8')).toBe(before);
  });

  it('doctor --fix --yes moves the query secret into the keychain, the bridge still sends it on the wire, userinfo stays reported with its fix', async () => {
    const r = await runCliProcess(['doctor', '--fix', '--yes'], {
      env: home.env,
      timeoutMs: 60_000,
    });
    noValuesIn(r.stdout + r.stderr);
    expect(r.stdout).toContain('Moved api_key of project legacy into the keychain');
    // Basic auth cannot be moved: still reported, so still exit 1.
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('[url-credential] Switchboard project basic');

    const stored = await fs.readFile(path.join(home.dataDir, 'projects.json'), 'utf8');
    expect(stored).not.toContain(QUERY_SECRET);
    const legacy = (
      JSON.parse(stored) as { projects: { name: string; url: string; secretQuery?: string[] }[] }
    ).projects.find((p) => p.name === 'legacy')!;
    expect(new URL(legacy.url).searchParams.get('region')).toBe('eu');
    expect(new URL(legacy.url).searchParams.has('api_key')).toBe(false);
    expect(legacy.secretQuery).toEqual(['api_key']);
    for (const name of await fs.readdir(home.dataDir, { recursive: true })) {
      const file = path.join(home.dataDir, name);
      if ((await fs.stat(file)).isFile())
        expect(await fs.readFile(file, 'utf8')).not.toContain(QUERY_SECRET);
    }

    const tokens = await runCliProcess(['token', 'list', '--project', 'legacy', '--json'], {
      env: home.env,
    });
    const kinds = (JSON.parse(tokens.stdout) as { kind: string; queryParam?: string }[]).map(
      (t) => [t.kind, t.queryParam],
    );
    expect(kinds).toEqual([['query-secret', 'api_key']]);
    noValuesIn(tokens.stdout);

    // Nothing left to move for legacy: a second run reports only basic.
    const again = await runCliProcess(['doctor', '--json'], { env: home.env });
    const left = (JSON.parse(again.stdout) as { kind: string; project?: string }[]).filter(
      (f) => f.kind === 'url-credential',
    );
    expect(left.map((f) => f.project)).toEqual(['basic']);

    // The project keeps working: the bridge appends the secret only on the wire.
    // What an MCP client passes (HOME, PATH, SHELL, TERM, USER + the entry's env), plus the
    // session bus address that a desktop session provides and with-keyring.sh made private.
    const env: NodeJS.ProcessEnv = { HOME: home.home, SWITCHBOARD_HOME: home.dataDir };
    for (const k of ['PATH', 'SHELL', 'TERM', 'USER', 'DBUS_SESSION_BUS_ADDRESS'] as const) {
      if (process.env[k] !== undefined) env[k] = process.env[k];
    }
    bridge = spawnBridge('legacy', env);
    await bridge.handshake();
    await bridge.request(1, 'tools/list', {}, 20_000);
    expect(seenUrls.length).toBeGreaterThan(0);
    const onWire = new URL(seenUrls.at(-1)!, server.url);
    expect(onWire.searchParams.get('api_key')).toBe(QUERY_SECRET);
    expect(onWire.searchParams.get('region')).toBe('eu');
  });
});
