import fs from 'node:fs/promises';
import path from 'node:path';
import {
  ElicitRequestSchema,
  LoggingMessageNotificationSchema,
  ResourceUpdatedNotificationSchema,
  ToolListChangedNotificationSchema,
  type JSONRPCMessage,
} from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProjectsService } from '../../projects/projects-service.js';
import { connectBridgeClient, type BridgeClient } from '../../testing/bridge-client.js';
import { spawnBridge } from '../../testing/bridge-process.js';
import { clientEnvFor } from '../../testing/client-env.js';
import { MRTR_STATE, startModernServer, type ModernServer } from '../../testing/modern-server.js';
import { makeTempHome, type TempHome } from '../../testing/temp-home.js';
import { connectV2BridgeClient } from '../../testing/v2-bridge-client.js';
import { ERAS_FILE } from './era-cache.js';

// Real peers: a 2026-07-28-only server (SDK v2, `legacy: 'reject'`) on 127.0.0.1, the built
// bridge spawned with a client's stripped environment, an SDK v1 (2025-only) stdio client.
let home: TempHome;
let server: ModernServer;
let env: Record<string, string>;
let host: BridgeClient;

type ToolText = { content: Array<{ type: string; text?: string }> };
const textOf = (r: unknown) => (r as ToolText).content.map((c) => c.text ?? '').join('\n');

beforeAll(async () => {
  home = await makeTempHome('sb-era-modern-');
  server = await startModernServer();
  await new ProjectsService(home.dataDir).add({ name: 'modern', url: server.url, auth: 'none' });
  env = clientEnvFor(home.home, {
    SWITCHBOARD_HOME: home.dataDir,
    SWITCHBOARD_SECRET_STORE: 'file',
  });
  host = await connectBridgeClient('modern', env);
});

afterAll(async () => {
  await host?.close();
  await server?.close();
  await home?.cleanup();
});

const received = (method: string) =>
  host.received.filter(
    (m): m is JSONRPCMessage & { method: string; params?: unknown } =>
      'method' in m && m.method === method,
  );

async function until(what: string, check: () => boolean, timeoutMs = 5000): Promise<void> {
  for (let waited = 0; !check(); waited += 25) {
    if (waited > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('a 2025 client through the bridge to a 2026-07-28-only server', () => {
  it('initializes from server/discover: server info, raw capabilities, instructions', () => {
    expect(host.client.getServerVersion()).toEqual({
      name: 'switchboard-modern-server',
      version: '2.0.0',
    });
    expect(host.client.getServerCapabilities()).toMatchObject({
      tools: { listChanged: true },
      resources: { subscribe: true, listChanged: true },
      logging: {},
    });
    expect(host.client.getInstructions()).toBe('A 2026-07-28 test server.');
    // The server never saw a 2025 handshake or a session.
    expect(server.seen.some((s) => s.rpcMethod === 'initialize')).toBe(false);
    expect(server.seen.some((s) => s.headers['mcp-session-id'] !== undefined)).toBe(false);
  });

  it('lists and calls tools with the envelope and the era headers on every request', async () => {
    const { tools } = await host.client.listTools();
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(['echo', 'ask', 'regional']));
    const before = server.seen.length;
    const r = await host.client.callTool({ name: 'echo', arguments: { message: 'héllo' } });
    expect(textOf(r)).toBe('echo: héllo');
    expect(r).not.toHaveProperty('resultType');
    const post = server.seen.slice(before).find((s) => s.rpcMethod === 'tools/call');
    expect(post?.headers['mcp-protocol-version']).toBe('2026-07-28');
    expect(post?.headers['mcp-method']).toBe('tools/call');
    expect(post?.headers['mcp-name']).toBe('echo');
    expect(post?.meta).toMatchObject({
      'io.modelcontextprotocol/protocolVersion': '2026-07-28',
      'io.modelcontextprotocol/clientCapabilities': { sampling: {}, elicitation: {} },
      'io.modelcontextprotocol/clientInfo': { name: 'switchboard-test-host' },
    });
  });

  it('maps an x-mcp-header parameter to its header', async () => {
    const before = server.seen.length;
    const r = await host.client
      .callTool({ name: 'regional', arguments: { region: 'eu-wést' } })
      .catch((e: Error) => {
        throw new Error(`${e.message}: ${JSON.stringify(server.seen.slice(before))}`);
      });
    const post = server.seen.slice(before).find((s) => s.rpcMethod === 'tools/call');
    expect(textOf(r), JSON.stringify(post)).toBe('region: eu-wést');
    expect(post?.headers['mcp-param-region']).toBe(
      `=?base64?${Buffer.from('eu-wést').toString('base64')}?=`,
    );
  });

  it('turns input_required rounds into sampling, elicitation and roots requests', async () => {
    const served = { ...host.served };
    expect(
      textOf(await host.client.callTool({ name: 'sample', arguments: { prompt: 'abc' } })),
    ).toBe('sampled: sampled(3)');
    expect(textOf(await host.client.callTool({ name: 'roots', arguments: {} }))).toBe(
      'file:///tmp/switchboard-test-root',
    );
    const before = server.seen.length;
    // The test host declines elicitation; the retry carries the server's state byte for byte.
    expect(textOf(await host.client.callTool({ name: 'ask', arguments: {} }))).toBe(
      `decline: state=${MRTR_STATE}`,
    );
    const legs = server.seen.slice(before).filter((s) => s.rpcMethod === 'tools/call');
    expect(legs.map((s) => s.requestState)).toEqual([undefined, MRTR_STATE]);
    expect(new Set(legs.map((s) => s.rpcId)).size).toBe(2);
    expect(host.served).toEqual({
      sampling: served.sampling + 1,
      roots: served.roots + 1,
      elicitation: served.elicitation + 1,
    });
  });

  it('waits for an input the user takes their time over, and answers the call once', async () => {
    // Longer than the grace after which a request's ended stream counts as lost: the first
    // leg's stream ended with its input_required answer, and that is not a lost answer.
    host.client.setRequestHandler(ElicitRequestSchema, async () => {
      await new Promise((r) => setTimeout(r, 1500));
      return { action: 'accept', content: { name: 'Ada' } };
    });
    const r = await host.client.callTool({ name: 'ask', arguments: {} });
    expect(textOf(r)).toBe(`accept:Ada state=${MRTR_STATE}`);
    await new Promise((r) => setTimeout(r, 300));
    const errors = host.received.filter((m) => 'error' in m);
    expect(errors).toEqual([]);
  });

  it('sends log messages only once a level is set, then at that level', async () => {
    await host.client.callTool({ name: 'log', arguments: {} });
    await new Promise((r) => setTimeout(r, 200));
    expect(received('notifications/message')).toEqual([]);
    await host.client.setLoggingLevel('info');
    const logged: string[] = [];
    host.client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
      logged.push(`${n.params.level}:${String(n.params.data)}`);
    });
    await host.client.callTool({ name: 'log', arguments: {} });
    await until('two log lines', () => logged.length >= 2);
    expect(logged).toEqual(['info:an info line', 'error:an error line']);
  });

  it('delivers list-changed and resource updates from subscriptions/listen, without its ids', async () => {
    let changed = 0;
    host.client.setNotificationHandler(ToolListChangedNotificationSchema, () => void changed++);
    await host.client.callTool({ name: 'change-tools', arguments: {} });
    await until('tools/list_changed', () => changed === 1);
    const updates: string[] = [];
    host.client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => {
      updates.push(n.params.uri);
    });
    await host.client.subscribeResource({ uri: 'test://status' });
    // The listen stream is re-opened with the new filter; give the server the new one.
    await until('the re-opened listen stream', () =>
      server.seen.some(
        (s) =>
          s.rpcMethod === 'subscriptions/listen' && JSON.stringify(s).includes('test://status'),
      ),
    );
    await new Promise((r) => setTimeout(r, 200));
    await host.client.callTool({ name: 'touch', arguments: { uri: 'test://status' } });
    await until('resources/updated', () => updates.length === 1);
    expect(updates).toEqual(['test://status']);
    for (const n of [
      ...received('notifications/tools/list_changed'),
      ...received('notifications/resources/updated'),
    ]) {
      expect(JSON.stringify(n)).not.toContain('subscriptionId');
    }
    expect(received('notifications/subscriptions/acknowledged')).toEqual([]);
  });

  it('cancels a running call by closing its exchange', async () => {
    const ac = new AbortController();
    const call = host.client.callTool({ name: 'slow', arguments: { ms: 8000 } }, undefined, {
      signal: ac.signal,
    });
    await until('the slow call upstream', () =>
      server.seen.some((s) => s.rpcMethod === 'tools/call' && JSON.stringify(s).includes('"slow"')),
    );
    await new Promise((r) => setTimeout(r, 200));
    ac.abort('user gave up');
    await expect(call).rejects.toThrow();
    await until('the server to see the cancellation', () => server.cancelled.length === 1);
  });

  it('passes a 5 MB result and 20 concurrent calls, each answered once', async () => {
    const big = await host.client.callTool({ name: 'big', arguments: { bytes: 5_000_000 } });
    expect(textOf(big).length).toBe(5_000_000);
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        host.client.callTool({ name: 'echo', arguments: { message: `n${i}` } }),
      ),
    );
    expect(answers.map(textOf)).toEqual(Array.from({ length: 20 }, (_, i) => `echo: n${i}`));
    const ids = host.received
      .filter((m) => 'id' in m && ('result' in m || 'error' in m))
      .map((m) => JSON.stringify((m as { id: unknown }).id));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('asks again, with a new id, when a read loses its response stream', async () => {
    const r = await host.client.readResource({ uri: 'test://flaky' });
    expect(r.contents).toEqual([{ uri: 'test://flaky', text: 'second time lucky' }]);
    const reads = server.seen.filter(
      (s) => s.rpcMethod === 'resources/read' && s.params?.uri === 'test://flaky',
    );
    expect(reads).toHaveLength(2);
    expect(reads[0]?.rpcId).not.toEqual(reads[1]?.rpcId);
  });

  it('answers ping locally and caches the era', async () => {
    const before = server.seen.length;
    await host.client.ping();
    expect(server.seen.length).toBe(before);
    const cache = JSON.parse(await fs.readFile(path.join(home.dataDir, ERAS_FILE), 'utf8')) as {
      servers: Record<string, { era: string }>;
    };
    expect(cache.servers[server.url]?.era).toBe('modern');
  });
});

describe('a 2026-07-28 client in auto mode through the bridge to the same server', () => {
  it('lands on 2026-07-28 and passes everything through with the era headers', async () => {
    const v2 = await connectV2BridgeClient('modern', env);
    try {
      expect(v2.client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
      await v2.client.listTools();
      const before = server.seen.length;
      const r = await v2.client.callTool({ name: 'regional', arguments: { region: 'ap-south' } });
      expect(textOf(r)).toBe('region: ap-south');
      const post = server.seen.slice(before).find((s) => s.rpcMethod === 'tools/call');
      expect(post?.headers['mcp-param-region']).toBe('ap-south');
      expect(post?.meta?.['io.modelcontextprotocol/clientInfo']).toMatchObject({
        name: 'switchboard-v2-host',
      });
      // The client's own MRTR handling, through the bridge untouched.
      expect(textOf(await v2.client.callTool({ name: 'ask', arguments: {} }))).toBe(
        `accept:Vee state=${MRTR_STATE}`,
      );
    } finally {
      await v2.close();
    }
  });
});

describe('a 2026-07-28 client: subscriptions/listen and cancellation pass through', () => {
  it('receives list-changed on its own listen stream and cancels by closing the exchange', async () => {
    const v2 = await connectV2BridgeClient('modern', env);
    try {
      let changed = 0;
      v2.client.setNotificationHandler('notifications/tools/list_changed', () => void changed++);
      const sub = await v2.client.listen({ toolsListChanged: true });
      expect(sub.honoredFilter).toMatchObject({ toolsListChanged: true });
      await v2.client.callTool({ name: 'change-tools', arguments: {} });
      await until('tools/list_changed on the client listen stream', () => changed === 1);
      const cancelledBefore = server.cancelled.length;
      const ac = new AbortController();
      const slow = v2.client.callTool(
        { name: 'slow', arguments: { ms: 8000 } },
        { signal: ac.signal },
      );
      await until('the slow call upstream', () =>
        server.seen.some(
          (s) =>
            s.rpcMethod === 'tools/call' &&
            s.params?.name === 'slow' &&
            s.headers['mcp-session-id'] === undefined &&
            s.meta?.['io.modelcontextprotocol/clientInfo'] !== undefined &&
            (s.meta['io.modelcontextprotocol/clientInfo'] as { name?: string }).name ===
              'switchboard-v2-host',
        ),
      );
      await new Promise((r) => setTimeout(r, 200));
      ac.abort('done waiting');
      await expect(slow).rejects.toThrow();
      await until(
        'the server to see the cancellation',
        () => server.cancelled.length === cancelledBefore + 1,
      );
      await sub.close();
    } finally {
      await v2.close();
    }
  });
});

describe('a raw 2025 client line by line (the bridge process as a client spawns it)', () => {
  it('learns header-mapped parameters before a first call without a listing, and exits 0', async () => {
    const b = spawnBridge('modern', env);
    try {
      const init = await b.handshake({});
      expect(init.result).toMatchObject({ protocolVersion: '2025-06-18' });
      const before = server.seen.length;
      const r = await b.request(1, 'tools/call', {
        name: 'regional',
        arguments: { region: 'us-east' },
      });
      expect(textOf(r.result)).toBe('region: us-east');
      const post = server.seen.slice(before).find((s) => s.rpcMethod === 'tools/call');
      expect(post?.headers['mcp-param-region']).toBe('us-east');
      expect(b.badStdout).toEqual([]);
      b.closeStdin();
      const exit = await b.exited;
      expect(exit.code).toBe(0);
    } finally {
      b.kill();
    }
  });
});

describe('a server whose era changed since it was cached', () => {
  it('probes again when a server cached as 2025-era refuses initialize, then translates', async () => {
    const other = await makeTempHome('sb-era-changed-');
    try {
      await new ProjectsService(other.dataDir).add({
        name: 'moved',
        url: server.url,
        auth: 'none',
      });
      const servers = { [server.url]: { era: 'legacy', checkedAt: '2026-01-01T00:00:00.000Z' } };
      await fs.writeFile(
        path.join(other.dataDir, ERAS_FILE),
        JSON.stringify({ version: 1, servers }),
      );
      const before = server.seen.length;
      const c = await connectBridgeClient(
        'moved',
        clientEnvFor(other.home, {
          SWITCHBOARD_HOME: other.dataDir,
          SWITCHBOARD_SECRET_STORE: 'file',
        }),
      );
      try {
        expect(c.client.getServerVersion()?.name).toBe('switchboard-modern-server');
        const r = await c.client.callTool({ name: 'echo', arguments: { message: 'moved' } });
        expect(textOf(r)).toBe('echo: moved');
      } finally {
        await c.close();
      }
      // The refused 2025 initialize, then the probe that found the new era.
      const methods = server.seen.slice(before).map((s) => s.rpcMethod);
      expect(methods.slice(0, 2)).toEqual(['initialize', 'server/discover']);
      const cache = JSON.parse(await fs.readFile(path.join(other.dataDir, ERAS_FILE), 'utf8')) as {
        servers: Record<string, { era: string }>;
      };
      expect(cache.servers[server.url]?.era).toBe('modern');
    } finally {
      await other.cleanup();
    }
  });
});

describe('the cached DiscoverResult (a second bridge for the same server)', () => {
  const discovers = (from: number) =>
    server.seen.slice(from).filter((s) => s.rpcMethod === 'server/discover').length;
  type Cached = { era: string; checkedAt: string; discover?: { instructions?: string } };
  const readCache = async (dir: string) =>
    (
      JSON.parse(await fs.readFile(path.join(dir, ERAS_FILE), 'utf8')) as {
        servers: Record<string, Cached>;
      }
    ).servers[server.url];

  it('answers the second spawn’s initialize from the cache: no server/discover at all', async () => {
    const own = await makeTempHome('sb-era-discover-');
    try {
      await new ProjectsService(own.dataDir).add({ name: 'm2', url: server.url, auth: 'none' });
      const ownEnv = clientEnvFor(own.home, {
        SWITCHBOARD_HOME: own.dataDir,
        SWITCHBOARD_SECRET_STORE: 'file',
      });
      const start = server.seen.length;
      const first = await connectBridgeClient('m2', ownEnv);
      const firstInit = {
        server: first.client.getServerVersion(),
        capabilities: first.client.getServerCapabilities(),
        instructions: first.client.getInstructions(),
      };
      await first.close();
      expect(discovers(start)).toBe(1);
      expect((await readCache(own.dataDir))?.discover).toBeDefined();

      const again = server.seen.length;
      const second = await connectBridgeClient('m2', ownEnv);
      try {
        expect({
          server: second.client.getServerVersion(),
          capabilities: second.client.getServerCapabilities(),
          instructions: second.client.getInstructions(),
        }).toEqual(firstInit);
        const r = await second.client.callTool({ name: 'echo', arguments: { message: 'warm' } });
        expect(textOf(r)).toBe('echo: warm');
      } finally {
        await second.close();
      }
      expect(discovers(again)).toBe(0);
    } finally {
      await own.cleanup();
    }
  });

  it('uses a stale entry at once, then refreshes it in the background for the next spawn', async () => {
    const own = await makeTempHome('sb-era-stale-');
    try {
      await new ProjectsService(own.dataDir).add({ name: 'm3', url: server.url, auth: 'none' });
      const stale: Cached & { discover: Record<string, unknown> } = {
        era: 'modern',
        checkedAt: '2026-01-01T00:00:00.000Z',
        discover: {
          supportedVersions: ['2026-07-28'],
          capabilities: { tools: {} },
          instructions: 'from the old cache',
          _meta: { 'io.modelcontextprotocol/serverInfo': { name: 'old-name', version: '0' } },
        },
      };
      await fs.writeFile(
        path.join(own.dataDir, ERAS_FILE),
        JSON.stringify({ version: 1, servers: { [server.url]: stale } }),
      );
      const start = server.seen.length;
      const c = await connectBridgeClient(
        'm3',
        clientEnvFor(own.home, { SWITCHBOARD_HOME: own.dataDir, SWITCHBOARD_SECRET_STORE: 'file' }),
      );
      try {
        // Answered from the cache (what the server says now is different).
        expect(c.client.getInstructions()).toBe('from the old cache');
        expect(c.client.getServerVersion()?.name).toBe('old-name');
        await until('the background refresh', () => discovers(start) === 1);
        // The probe's answer is written right after it arrives: wait for the file (bounded).
        let fresh = await readCache(own.dataDir);
        for (let i = 0; i < 200 && fresh?.discover?.instructions === 'from the old cache'; i++) {
          await new Promise((r) => setTimeout(r, 25));
          fresh = await readCache(own.dataDir);
        }
        expect(fresh?.era).toBe('modern');
        expect(fresh?.discover?.instructions).toBe('A 2026-07-28 test server.');
        expect(Date.parse(fresh!.checkedAt)).toBeGreaterThan(Date.parse(stale.checkedAt));
      } finally {
        await c.close();
      }
    } finally {
      await own.cleanup();
    }
  });
});
