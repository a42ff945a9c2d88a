import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProjectsService } from '../../projects/projects-service.js';
import { spawnBridge, type BridgeProcess } from '../../testing/bridge-process.js';
import { clientEnvFor } from '../../testing/client-env.js';
import { startMcpTestServer, type McpTestServer } from '../../testing/mcp-test-server.js';
import { makeTempHome, type TempHome } from '../../testing/temp-home.js';
import { connectV2BridgeClient } from '../../testing/v2-bridge-client.js';
import { BridgeErrorCode } from '../protocol.js';
import { ERAS_FILE } from './era-cache.js';

// Real peers: the built bridge spawned with a client's stripped environment, an SDK v1
// (2025-era, sessionful) server on 127.0.0.1, SDK v2 clients in `auto` negotiation mode.
let home: TempHome;
let server: McpTestServer;
let env: Record<string, string>;
let bridge: BridgeProcess | undefined;

beforeEach(async () => {
  home = await makeTempHome('sb-era-legacy-');
  env = clientEnvFor(home.home, {
    SWITCHBOARD_HOME: home.dataDir,
    SWITCHBOARD_SECRET_STORE: 'file',
  });
});

afterEach(async () => {
  bridge?.kill();
  bridge = undefined;
  await server?.close();
  await home.cleanup();
});

async function setup(opts: Parameters<typeof startMcpTestServer>[0] = {}): Promise<void> {
  server = await startMcpTestServer(opts);
  await new ProjectsService(home.dataDir).add({ name: 'legacy', url: server.url, auth: 'none' });
}

async function auditEvents(): Promise<Array<Record<string, unknown>>> {
  const dir = path.join(home.dataDir, 'audit');
  const files = await fs.readdir(dir);
  const text = (await Promise.all(files.map((f) => fs.readFile(path.join(dir, f), 'utf8')))).join(
    '',
  );
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

const discoverPosts = () => server.seen.filter((s) => s.rpcMethods.includes('server/discover'));

describe('a 2026-07-28 client in auto mode, through the bridge, to a 2025 server', () => {
  it('falls back to initialize, works, audits the probe as a probe, and caches the era', async () => {
    await setup({ sessionIdOnErrors: true });
    const first = await connectV2BridgeClient('legacy', env);
    expect(first.client.getNegotiatedProtocolVersion()).toBe('2025-11-25');
    const r = await first.client.callTool({ name: 'echo', arguments: { message: 'hi' } });
    expect(r.content).toEqual([{ type: 'text', text: 'Echo: hi' }]);
    await first.close();
    // The client's own probe reached the server once (that is how the era was found).
    expect(discoverPosts()).toHaveLength(1);
    // No request ever went out with a session id the server handed out on an error reply.
    const initPost = server.seen.find((s) => s.rpcMethods.includes('initialize'));
    expect(initPost?.sessionId).toBeUndefined();
    expect(initPost?.status).toBe(200);
    const cached = JSON.parse(await fs.readFile(path.join(home.dataDir, ERAS_FILE), 'utf8')) as {
      servers: Record<string, { era: string }>;
    };
    expect(Object.values(cached.servers).map((s) => s.era)).toEqual(['legacy']);

    // Second spawn: the era is known, so the probe is answered at once and never sent upstream.
    const second = await connectV2BridgeClient('legacy', env);
    expect(second.client.getNegotiatedProtocolVersion()).toBe('2025-11-25');
    await second.client.listTools();
    await second.close();
    expect(discoverPosts()).toHaveLength(1);

    // Neither session recorded an error: the probes are recorded as probes.
    await new Promise((r) => setTimeout(r, 300));
    const events = await auditEvents();
    expect(events.filter((e) => e.kind === 'error' || e.status === 'error')).toEqual([]);
    const probes = events.filter((e) => e.method === 'server/discover' && e.kind === 'response');
    expect(
      probes.length,
      JSON.stringify(events.map((e) => [e.sessionId, e.kind, e.method, e.detail])),
    ).toBeGreaterThanOrEqual(2);
    for (const p of probes) expect(p.detail).toMatchObject({ probe: expect.any(String) });
    const ends = events.filter((e) => e.kind === 'session-end');
    expect(ends.map((e) => (e.detail as { era?: string }).era)).toContain('legacy');
    expect(first.stderr() + second.stderr()).not.toMatch(/lost the session/);
  });
});

describe('session bugs (issue 15, item 5)', () => {
  it.each(['lean', 'sdk'])(
    'takes no session id from an error reply and never says a session was lost (%s transport)',
    async (transport) => {
      await setup({ sessionIdOnErrors: true });
      bridge = spawnBridge('legacy', { ...env, SWITCHBOARD_BRIDGE_TRANSPORT: transport });
      // What the Python SDK's default mode does: a modern probe first, then initialize.
      bridge.send({
        jsonrpc: '2.0',
        id: 'p1',
        method: 'server/discover',
        params: {
          _meta: {
            'io.modelcontextprotocol/protocolVersion': '2026-07-28',
            'io.modelcontextprotocol/clientCapabilities': {},
          },
        },
      });
      const probe = await bridge.waitFor((m) => m.id === 'p1', 10_000, 'the probe answer');
      expect((probe.error as { code: number }).code).toBe(-32601);
      expect(JSON.stringify(probe)).not.toMatch(/session/i);
      // The refused probe is the expected answer: nothing about it on stderr.
      expect(bridge.stderr()).not.toMatch(/Streamable HTTP error|server\/discover/);
      expect((await bridge.handshake()).result).toMatchObject({ protocolVersion: '2025-06-18' });
      const answer = await bridge.request(2, 'tools/call', {
        name: 'echo',
        arguments: { message: 'after probe' },
      });
      expect(answer.result).toMatchObject({ content: [{ text: 'Echo: after probe' }] });
      const init = server.seen.find((s) => s.rpcMethods.includes('initialize'));
      expect(init?.sessionId).toBeUndefined();
      expect(
        bridge.messages.some(
          (m) => (m.error as { code?: number })?.code === BridgeErrorCode.SESSION_LOST,
        ),
      ).toBe(false);
    },
  );

  it('retries an initialize that got 404 for its session once, without the session', async () => {
    await setup();
    bridge = spawnBridge('legacy', env);
    await bridge.handshake();
    // Let the handshake settle (the GET stream opens after `initialized` was accepted).
    for (let i = 0; i < 100 && !server.seen.some((s) => s.httpMethod === 'GET'); i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    // The server forgets every session; the core re-initializes on the next request. Its
    // fresh upstream has no session, so provoke the case directly: a second initialize from the
    // client goes out with the live session id, which the server no longer knows (404).
    server.expireSessions();
    const again = await bridge.request('init-2', 'initialize', {
      protocolVersion: '2025-06-18',
      capabilities: {},
      clientInfo: { name: 'bridge-test', version: '1.2.3' },
    });
    expect(again.result, JSON.stringify(again) + bridge.stderr()).toMatchObject({
      protocolVersion: '2025-06-18',
    });
    const inits = server.seen.filter((s) => s.rpcMethods.includes('initialize'));
    expect(inits.map((s) => [s.sessionId === undefined, s.status])).toEqual([
      [true, 200],
      [false, 404],
      [true, 200],
    ]);
  });
});

describe('a cached 2026-07-28 verdict for a server that went back to 2025', () => {
  it('answers initialize from the cache, and forgets the entry once a request is refused', async () => {
    await setup();
    const discover = {
      supportedVersions: ['2026-07-28'],
      capabilities: { tools: {} },
      _meta: { 'io.modelcontextprotocol/serverInfo': { name: 'was-modern', version: '1' } },
    };
    const servers = {
      [server.url]: { era: 'modern', checkedAt: new Date().toISOString(), discover },
    };
    await fs.writeFile(path.join(home.dataDir, ERAS_FILE), JSON.stringify({ version: 1, servers }));
    bridge = spawnBridge('legacy', env);
    const init = await bridge.handshake();
    expect(init.result).toMatchObject({ serverInfo: { name: 'was-modern' } });
    expect(discoverPosts()).toHaveLength(0);
    const answer = await bridge.request(2, 'tools/list', {});
    expect(answer.error, JSON.stringify(answer)).toBeDefined();
    // The 2025 server refused the stateless request (no session): the next bridge probes again.
    let cached: { servers: Record<string, unknown> } | undefined;
    for (let i = 0; i < 100; i++) {
      cached = JSON.parse(await fs.readFile(path.join(home.dataDir, ERAS_FILE), 'utf8')) as {
        servers: Record<string, unknown>;
      };
      if (!(server.url in cached.servers)) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(cached?.servers).toEqual({});
    expect(bridge.stderr()).toMatch(/next bridge probes the server's era again/);
  });
});
