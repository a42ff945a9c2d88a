import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../contract/dispatch.js';
import { createHandlers } from '../ipc/handlers.js';
import { createServices, type Services } from '../services.js';
import { spawnBridge, type BridgeProcess } from '../testing/bridge-process.js';
import { startHostileServer, type HostileServer } from '../testing/hostile-server.js';
import { runCliProcess } from '../testing/run-cli.js';
import { makeTempHome, type TempHome } from '../testing/temp-home.js';

// Issue 16 item 2: credentials in a project URL. Real CLI processes and a real bridge, the
// insecure file store (this is about where the value goes, not which store holds it), and a
// raw server on 127.0.0.1 that reports the URL it was asked for.
let home: TempHome;
let env: NodeJS.ProcessEnv;
let services: Services;
let server: HostileServer | undefined;
let bridge: BridgeProcess | undefined;
const requested: string[] = [];
const KEY = 'q7Zx9Yw8Vu7Ts6Rq5Po4';

beforeEach(async () => {
  home = await makeTempHome('sb-urlsecret-');
  env = { ...home.env, SWITCHBOARD_SECRET_STORE: 'file' };
  services = createServices({ dataDir: home.dataDir, env });
  requested.length = 0;
});
afterEach(async () => {
  bridge?.kill();
  bridge = undefined;
  await server?.close();
  server = undefined;
  await home.cleanup();
});

/** Every file in the data dir except the secret store itself, and its names. */
async function dataDirText(): Promise<string> {
  const out: string[] = [];
  const walk = async (dir: string) => {
    for (const e of await fs.readdir(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.name !== 'secrets.insecure.json') out.push(p, await fs.readFile(p, 'utf8'));
    }
  };
  await walk(home.dataDir);
  return out.join('\n');
}

describe('secrets in a project URL', () => {
  it('refuses userinfo, saying how to store the credential instead', async () => {
    const r = await runCliProcess(
      ['project', 'add', 'acme', '--url', 'https://alice:pa55w0rd-xyz@mcp.example.com/mcp'],
      { env },
    );
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('user name or password');
    expect(r.stderr).toContain('switchboard token add');
    expect(r.stdout + r.stderr).not.toContain('pa55w0rd-xyz');
    expect(await services.projects.list()).toEqual([]);
  });

  it('refuses a secret-named query parameter on add and edit, naming the query-secret kind', async () => {
    const url = `https://mcp.example.com/mcp?api_key=${KEY}&region=eu`;
    const r = await runCliProcess(['project', 'add', 'acme', '--url', url], { env });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('--kind query-secret --param api_key');
    expect(r.stdout + r.stderr).not.toContain(KEY);
    await services.projects.add({ name: 'acme', url: 'https://mcp.example.com/mcp' });
    await expect(services.projects.edit('acme', { url })).rejects.toThrow(/query holds a secret/);
    expect(await dataDirText()).not.toContain(KEY);
  });

  it('keeps a query secret in the keychain, never prints it, and adds it only on the wire', async () => {
    server = await startHostileServer({
      onRequest: ({ message, req, res }) => {
        requested.push(req.url ?? '');
        res.writeHead(200, { 'content-type': 'application/json' });
        // The server echoes the URL it got: the bridge must not hand the key to the client.
        res.end(JSON.stringify({ jsonrpc: '2.0', id: message.id, result: { url: req.url } }));
      },
    });
    await services.projects.add({ name: 'acme', url: `${server.url}?region=eu` });
    const added = await runCliProcess(
      ['token', 'add', 'acme', '--kind', 'query-secret', '--param', 'api_key', '--token-stdin'],
      { env, stdin: KEY },
    );
    expect(added.code, added.stderr).toBe(0);
    const shown = await Promise.all([
      runCliProcess(['project', 'show', 'acme'], { env }),
      runCliProcess(['project', 'show', 'acme', '--json'], { env }),
      runCliProcess(['project', 'list', '--json'], { env }),
      runCliProcess(['token', 'list', '--json'], { env }),
    ]);
    for (const r of shown) {
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout + r.stderr).not.toContain(KEY);
    }
    expect(await dataDirText()).not.toContain(KEY);
    expect((await services.projects.get('acme')).secretQuery).toEqual(['api_key']);

    bridge = spawnBridge('acme', env);
    await bridge.handshake();
    const answer = await bridge.request(1, 'tools/list', {}, 15_000);
    const sent = new URL(requested.at(-1)!, 'http://x');
    expect(sent.searchParams.get('api_key')).toBe(KEY);
    expect(sent.searchParams.get('region')).toBe('eu');
    expect(JSON.stringify(answer.result)).toContain('api_key=[REDACTED]');
    expect(JSON.stringify(bridge.messages)).not.toContain(KEY);
    expect(bridge.stderr()).not.toContain(KEY);
  });

  it('the window adds and lists a query secret through the IPC contract, never seeing its value', async () => {
    const dispatch = createDispatcher(createHandlers(services));
    await services.projects.add({ name: 'acme', url: 'https://mcp.example.com/mcp' });
    const added = await dispatch('tokens.add', {
      project: 'acme',
      value: KEY,
      kind: 'query-secret',
      queryParam: 'api_key',
    });
    expect(added).toMatchObject({ ok: true });
    const listed = await Promise.all([
      dispatch('projects.list', undefined),
      dispatch('tokens.list', { project: 'acme' }),
    ]);
    for (const r of listed) expect(r).toMatchObject({ ok: true });
    expect(JSON.stringify(listed)).toContain('api_key');
    expect(JSON.stringify([added, listed])).not.toContain(KEY);
  });

  it('doctor --fix moves a query secret into the keychain and the stored URL has none', async () => {
    const cursor = (await services.clients.configPath({ client: 'cursor' })).path;
    await fs.mkdir(path.dirname(cursor), { recursive: true });
    await fs.writeFile(
      cursor,
      JSON.stringify({ mcpServers: { svc: { url: `https://svc.example.com/mcp?apikey=${KEY}` } } }),
    );
    const finding = (await services.doctor.findings()).find((f) => f.entry === 'svc');
    expect(finding?.fix).toBe('move-to-switchboard');
    const result = await services.doctor.fix(finding!.id);
    const project = await services.projects.get(result.newProject!);
    expect(project.url).toBe('https://svc.example.com/mcp');
    expect(project.secretQuery).toEqual(['apikey']);
    const records = await services.tokens.recordsFor(project.id);
    const q = records.find((r) => r.kind === 'query-secret');
    expect(q?.queryParam).toBe('apikey');
    // What doctor says is true: the value is in the secret store, and nowhere else.
    expect(await services.tokens.secretOf(q!)).toBe(KEY);
    expect(await dataDirText()).not.toContain(KEY);
    expect(await fs.readFile(cursor, 'utf8')).not.toContain(KEY);
  });
});
