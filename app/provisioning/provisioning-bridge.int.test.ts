import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { spawnBridge, type BridgeProcess } from '../testing/bridge-process.js';
import { startControlPlane, type ControlPlane } from '../testing/control-plane.js';
import { requireKeyringSession } from '../testing/keyring-session.js';
import { runCliProcess } from '../testing/run-cli.js';
import { findSecretsInFiles } from '../testing/secret-scan.js';
import { makeTempHome, type TempHome } from '../testing/temp-home.js';

const API_KEY = `KEY_${'9f8e7d6c'.repeat(5)}`;

let tmp: TempHome;
let cp: ControlPlane;
let cliEnv: NodeJS.ProcessEnv;
let bridgeEnv: NodeJS.ProcessEnv;
let bridge: BridgeProcess | undefined;
const cli = (args: string[], stdin?: string) => runCliProcess(args, { env: cliEnv, stdin });

beforeAll(() => requireKeyringSession());
beforeEach(async () => {
  tmp = await makeTempHome('sb-prov-bridge-');
  cp = await startControlPlane({ apiKey: API_KEY });
  // The data dir at its default place under HOME, so the bridge finds it the way a client-spawned
  // one does: from HOME alone.
  cliEnv = { ...tmp.env, SWITCHBOARD_HOME: undefined, XDG_CONFIG_HOME: undefined };
  // What an MCP client passes to the process it spawns: HOME, PATH, SHELL, TERM, USER (plus the
  // entry's env, empty in a dev checkout). DBUS_SESSION_BUS_ADDRESS is the desktop session's bus,
  // here the private one of with-keyring.sh, without which no process reaches the Secret Service.
  bridgeEnv = {
    HOME: tmp.home,
    PATH: process.env.PATH,
    SHELL: process.env.SHELL ?? '/bin/sh',
    TERM: process.env.TERM ?? 'dumb',
    USER: process.env.USER ?? 'test',
    DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS,
  };
  const add = await cli(
    [
      'project',
      'add',
      'acme',
      '--auth',
      'provisioned',
      '--control-plane',
      cp.url,
      '--shared-url',
      cp.sharedUrl,
      '--api-key-stdin',
    ],
    API_KEY,
  );
  expect(add.code, add.stderr).toBe(0);
});
afterEach(async () => {
  bridge?.kill();
  bridge = undefined;
  await cp.close();
  await tmp.cleanup();
});

const saw = (server: ControlPlane['shared'], method: string) =>
  server.seen.filter((s) => s.rpcMethods.includes(method)).length;

async function echo(b: BridgeProcess, id: string) {
  const answer = await b.request(id, 'tools/call', { name: 'echo', arguments: { message: id } });
  expect(answer.error, JSON.stringify(answer)).toBeUndefined();
  return answer;
}

async function waitUntil(cond: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!cond() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
  return cond();
}

describe('a running bridge (client-like environment) and the per-tenant endpoint', () => {
  it('uses the per-tenant URL, and switches back to shared within a second of the consent being withdrawn', async () => {
    expect((await cli(['provision', 'acme', '--accept-full-scope'])).code).toBe(0);
    bridge = spawnBridge('acme', bridgeEnv);
    await bridge.handshake();
    await echo(bridge, 'first');
    expect(saw(cp.tenant, 'tools/call')).toBe(1);
    expect(cp.shared.seen).toHaveLength(0);
    const cpCalls = cp.callCount();

    const [consent] = JSON.parse((await cli(['consent', 'list', '--json'])).stdout) as Array<{
      id: string;
    }>;
    const revoke = await cli(['consent', 'revoke', consent!.id, '--yes']);
    expect(revoke.code, revoke.stderr).toBe(0);
    // Without any client traffic, the bridge opens a session on the shared URL on its own.
    expect(await waitUntil(() => saw(cp.shared, 'initialize') === 1, 1000)).toBe(true);
    const tenantBefore = cp.tenant.seen.length;
    await echo(bridge, 'second');
    expect(saw(cp.shared, 'tools/call')).toBe(1);
    expect(cp.tenant.seen.length).toBe(tenantBefore);
    expect(cp.callCount()).toBe(cpCalls); // withdrawing never re-provisions

    for (const s of cp.shared.seen) expect(s.authorization).toBe(`Bearer ${API_KEY}`);
    for (const s of cp.tenant.seen) expect(s.authorization).toBe(`Bearer ${cp.sharedSecrets[0]}`);
    bridge.closeStdin();
    await bridge.exited;
    const secrets = [API_KEY, ...cp.sharedSecrets];
    for (const s of secrets) expect(bridge.stderr()).not.toContain(s);
    expect(bridge.stderr()).toContain(`endpoint moved; opening a session on ${cp.sharedUrl}`);
    // The audit says which endpoint the session started on.
    const audit = JSON.parse((await cli(['audit', '--json', '--limit', '100'])).stdout) as Array<{
      kind: string;
      detail?: { url?: string };
    }>;
    expect(audit.find((e) => e.kind === 'session-start')?.detail?.url).toBe(cp.tenant.url);
    expect(await findSecretsInFiles([tmp.home], secrets)).toEqual([]);
  });

  it('re-provisions (idempotently) with a valid consent and a lost cache', async () => {
    expect((await cli(['provision', 'acme', '--accept-full-scope'])).code).toBe(0);
    // Lose the cache (provisioning.json deleted); the consent stays.
    await fs.rm(path.join(tmp.home, '.config', 'Switchboard', 'provisioning.json'));
    const before = cp.calls.filter((c) => c.path === '/v2/compute/mcp/deploy').length;

    bridge = spawnBridge('acme', bridgeEnv);
    await bridge.handshake();
    await echo(bridge, 'after-loss');
    expect(cp.calls.filter((c) => c.path === '/v2/compute/mcp/deploy').length).toBe(before + 1);
    expect(cp.secrets.size).toBe(1); // found by name, not created again
    expect(saw(cp.tenant, 'tools/call')).toBe(1);
    expect(cp.shared.seen).toHaveLength(0);
    const show = JSON.parse((await cli(['project', 'show', 'acme', '--json'])).stdout) as {
      endpoint: { kind: string };
    };
    expect(show.endpoint.kind).toBe('per-tenant');
  });

  it('never contacts the control plane without a consent, and moves to the private endpoint once provisioned elsewhere', async () => {
    bridge = spawnBridge('acme', bridgeEnv);
    await bridge.handshake();
    await echo(bridge, 'shared');
    expect(saw(cp.shared, 'tools/call')).toBe(1);
    expect(cp.callCount()).toBe(0);
    expect(cp.tenant.seen).toHaveLength(0);

    // Consenting (and provisioning) elsewhere moves the running bridge to the private endpoint.
    expect((await cli(['provision', 'acme', '--accept-full-scope'])).code).toBe(0);
    expect(await waitUntil(() => saw(cp.tenant, 'initialize') === 1, 1000)).toBe(true);
    await echo(bridge, 'private');
    expect(saw(cp.tenant, 'tools/call')).toBe(1);
    expect(saw(cp.shared, 'tools/call')).toBe(1);
  });

  it('falls back to shared for the session when re-provisioning fails', async () => {
    expect((await cli(['provision', 'acme', '--accept-full-scope'])).code).toBe(0);
    await fs.rm(path.join(tmp.home, '.config', 'Switchboard', 'provisioning.json'));
    cp.setMode('500');
    bridge = spawnBridge('acme', bridgeEnv);
    await bridge.handshake();
    await echo(bridge, 'fallback');
    expect(saw(cp.shared, 'tools/call')).toBe(1);
    expect(cp.tenant.seen).toHaveLength(0);
    const show = JSON.parse((await cli(['project', 'show', 'acme', '--json'])).stdout) as {
      endpoint: { reason: string };
    };
    expect(show.endpoint.reason).toBe('shared (provisioning failed: HTTP 500 from the deploy)');
  });

  it('several bridges starting on a lost cache provision once and all use the same shared secret', async () => {
    expect((await cli(['provision', 'acme', '--accept-full-scope'])).code).toBe(0);
    await fs.rm(path.join(tmp.home, '.config', 'Switchboard', 'provisioning.json'));
    const deploys = () => cp.calls.filter((c) => c.path === '/v2/compute/mcp/deploy').length;
    const before = deploys();
    const bridges = [0, 1, 2].map(() => spawnBridge('acme', bridgeEnv));
    try {
      await Promise.all(
        bridges.map(async (b, i) => {
          await b.handshake();
          await echo(b, `b${i}`);
        }),
      );
      expect(deploys()).toBe(before + 1);
      expect(saw(cp.tenant, 'tools/call')).toBe(3);
      expect(cp.tenant.seen.every((s) => s.authorized)).toBe(true);
      expect(cp.shared.seen).toHaveLength(0);
    } finally {
      bridges.forEach((b) => b.kill());
    }
  });

  it('a corrupt provisioning.json means the shared endpoint, and the file is left as it was', async () => {
    expect((await cli(['provision', 'acme', '--accept-full-scope'])).code).toBe(0);
    const file = path.join(tmp.home, '.config', 'Switchboard', 'provisioning.json');
    await fs.writeFile(file, '{ not json');
    bridge = spawnBridge('acme', bridgeEnv);
    await bridge.handshake();
    await echo(bridge, 'corrupt');
    expect(saw(cp.shared, 'tools/call')).toBe(1);
    expect(await fs.readFile(file, 'utf8')).toBe('{ not json');
    const show = await cli(['project', 'show', 'acme', '--json']);
    expect(show.code).toBe(1);
    expect(show.stderr).toContain('provisioning.json');
  });

  it('gives a hanging control plane 10 s, then uses the shared endpoint for the session', async () => {
    expect((await cli(['provision', 'acme', '--accept-full-scope'])).code).toBe(0);
    await fs.rm(path.join(tmp.home, '.config', 'Switchboard', 'provisioning.json'));
    cp.setMode('hang');
    bridge = spawnBridge('acme', bridgeEnv);
    const init = await bridge.request(
      'init',
      'initialize',
      { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } },
      20_000,
    );
    expect(init.error).toBeUndefined();
    bridge.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    await echo(bridge, 'after-deadline');
    expect(saw(cp.shared, 'tools/call')).toBe(1);
    expect(cp.tenant.seen).toHaveLength(0);
    const show = JSON.parse((await cli(['project', 'show', 'acme', '--json'])).stdout) as {
      endpoint: { reason: string };
    };
    expect(show.endpoint.reason).toBe(
      'shared (provisioning failed: no ready endpoint within 10 s)',
    );
  });
});
