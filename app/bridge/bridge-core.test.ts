import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { BridgeCore } from './bridge-core.js';
import type { Upstream, UpstreamFailure } from './http-upstream.js';
import { BridgeErrorCode, RESERVED_ID_PREFIX, type Message } from './protocol.js';
import { keepWireText } from './wire-text.js';

// Unit level: the core over InMemoryTransport (client side) and a scripted upstream, so the
// ordering and bookkeeping rules can be checked step by step. The HTTP side is covered by the
// integration tests against real servers (bridge-faults / bridge-everything).

class ScriptedFailure extends Error {
  constructor(readonly failure: UpstreamFailure) {
    super(failure.detail);
  }
}

class ScriptedUpstream implements Upstream {
  onmessage?: Upstream['onmessage'];
  onerror?: (e: Error) => void;
  onclose?: () => void;
  onstreamlost?: Upstream['onstreamlost'];
  onsessionlost?: () => void;
  readonly sent: Message[] = [];
  versions: string[] = [];
  readonly getStreamReady: Promise<void>;
  openGetStream!: () => void;
  sessionId: string | undefined = 'S1';
  fingerprint: string | undefined;
  constructor(private readonly reply: (m: Message, up: ScriptedUpstream) => void) {
    this.getStreamReady = new Promise((r) => (this.openGetStream = r));
  }
  async start() {}
  async send(m: Message) {
    this.sent.push(m);
    this.reply(m, this);
  }
  deliver(m: unknown) {
    queueMicrotask(() => this.onmessage?.(m as Message));
  }
  setProtocolVersion(v: string) {
    this.versions.push(v);
  }
  readonly ended: Array<string | number> = [];
  endExchange(id: string | number) {
    this.ended.push(id);
  }
  async terminateSession() {}
  async close() {}
  classify(e: unknown): UpstreamFailure {
    return (e as ScriptedFailure).failure;
  }
}

const initResult = {
  protocolVersion: '2025-06-18',
  capabilities: { tools: { listChanged: true } },
  serverInfo: { name: 's', version: '1' },
};

function echoServer(m: Message, up: ScriptedUpstream) {
  if (!('method' in m) || !('id' in m)) return;
  if (m.method === 'initialize') up.deliver({ jsonrpc: '2.0', id: m.id, result: initResult });
  else up.deliver({ jsonrpc: '2.0', id: m.id, result: { echoed: m.method } });
}

async function harness(
  connect: () => ScriptedUpstream,
  extra: { secrets?: () => readonly string[] } = {},
) {
  const [client, local] = InMemoryTransport.createLinkedPair();
  const got: JSONRPCMessage[] = [];
  client.onmessage = (m) => void got.push(m);
  await client.start();
  const core = new BridgeCore({
    local,
    connect,
    project: { id: 'prj_test', name: 'acme' },
    getStreamWaitMs: 60_000,
    retryDelaysMs: [1],
    ...extra,
  });
  await core.start();
  const until = async (pred: () => boolean) => {
    for (let i = 0; i < 200 && !pred(); i++) await new Promise((r) => setTimeout(r, 5));
    expect(pred()).toBe(true);
  };
  return { client, core, got, until };
}

const init = {
  jsonrpc: '2.0' as const,
  id: 1,
  method: 'initialize',
  params: {
    protocolVersion: '2025-06-18',
    capabilities: {},
    clientInfo: { name: 'c', version: '1' },
  },
};

describe('BridgeCore', () => {
  it('sets the negotiated protocol version and holds messages until the GET stream is up', async () => {
    const up = new ScriptedUpstream(echoServer);
    const { client, got, until } = await harness(() => up);
    await client.send(init);
    await until(() => got.length === 1);
    expect(up.versions).toEqual(['2025-06-18']);
    await client.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    await client.send({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
    await until(() => up.sent.length === 2);
    await new Promise((r) => setTimeout(r, 30));
    expect(up.sent.map((m) => ('method' in m ? m.method : ''))).toEqual([
      'initialize',
      'notifications/initialized',
    ]);
    up.openGetStream();
    await until(() => got.some((m) => 'id' in m && m.id === 2));
  });

  it('redacts a credential the server echoes back, spelled with JSON escapes too', async () => {
    const SECRET = 'sbt_echo_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6';
    const spellings = [SECRET, '\\u0073' + SECRET.slice(1), SECRET.replace('_', '\\u005f')];
    const up = new ScriptedUpstream((m, u) => {
      if (!('method' in m) || m.method !== 'tools/call' || !('id' in m)) return echoServer(m, u);
      const n = Number(m.id) - 10;
      // The text as the server wrote it: the bridge forwards it as it arrived.
      const text = `{"jsonrpc":"2.0","id":${m.id},"result":{"content":[{"type":"text","text":"you sent ${spellings[n]}"}]}}`;
      const answer = JSON.parse(text) as Message;
      keepWireText(answer, text);
      u.deliver(answer);
    });
    const { client, got, until } = await harness(() => up, { secrets: () => [SECRET] });
    up.openGetStream();
    for (let n = 0; n < spellings.length; n++) {
      await client.send({
        jsonrpc: '2.0',
        id: 10 + n,
        method: 'tools/call',
        params: { name: 'x' },
      });
    }
    await until(() => got.length === spellings.length);
    for (const m of got) expect(JSON.stringify(m)).toContain('you sent [REDACTED]');
    expect(JSON.stringify(got)).not.toContain(SECRET.slice(4));
  });

  it('answers each request once even when the upstream answers twice', async () => {
    const up = new ScriptedUpstream((m, u) => {
      echoServer(m, u);
      if ('method' in m && m.method === 'ping') echoServer(m, u);
    });
    const { client, got, until } = await harness(() => up);
    up.openGetStream();
    await client.send({ jsonrpc: '2.0', id: 'p', method: 'ping' });
    await until(() => got.length >= 1);
    await new Promise((r) => setTimeout(r, 30));
    expect(got.filter((m) => 'id' in m && m.id === 'p')).toHaveLength(1);
  });

  it('re-initializes on session loss with a reserved id, retries, and announces list_changed', async () => {
    let n = 0;
    const ups: ScriptedUpstream[] = [];
    const connect = () => {
      const which = ++n;
      const up = new ScriptedUpstream((m, u) => {
        if (which === 1 && 'method' in m && m.method === 'tools/call') {
          throw new ScriptedFailure({
            kind: 'http',
            httpStatus: 404,
            neverSent: false,
            sessionLost: true,
            detail: 'HTTP 404',
          });
        }
        echoServer(m, u);
      });
      up.openGetStream();
      ups.push(up);
      return up;
    };
    const { client, got, until } = await harness(connect);
    await client.send(init);
    await until(() => got.length === 1);
    await client.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    await client.send({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'x' } });
    await until(() => got.some((m) => 'id' in m && m.id === 3));
    const second = ups[1]!;
    const replayed = second.sent[0] as Message & { id: string; method: string };
    expect(replayed.method).toBe('initialize');
    expect(replayed.id.startsWith(RESERVED_ID_PREFIX)).toBe(true);
    expect(second.sent.map((m) => ('method' in m ? m.method : ''))).toEqual([
      'initialize',
      'notifications/initialized',
      'tools/call',
    ]);
    expect(second.versions).toEqual(['2025-06-18']);
    expect(got.some((m) => 'method' in m && m.method === 'notifications/tools/list_changed')).toBe(
      true,
    );
    // The replayed initialize's answer never reached the client.
    expect(got.filter((m) => 'result' in m && 'serverInfo' in m.result)).toHaveLength(1);
  });

  it('retries only what never reached the server and answers the rest with our codes', async () => {
    let attempts = 0;
    const up = new ScriptedUpstream((m, u) => {
      if ('method' in m && m.method === 'tools/call') {
        attempts++;
        throw new ScriptedFailure({
          kind: 'http',
          httpStatus: 502,
          neverSent: false,
          sessionLost: false,
          detail: 'HTTP 502',
        });
      }
      if ('method' in m && m.method === 'ping' && attempts++ === 0) {
        throw new ScriptedFailure({
          kind: 'network',
          httpStatus: null,
          neverSent: true,
          sessionLost: false,
          detail: 'ECONNREFUSED',
        });
      }
      echoServer(m, u);
    });
    up.openGetStream();
    const { client, got, until } = await harness(() => up);
    await client.send({ jsonrpc: '2.0', id: 'a', method: 'ping' });
    await until(() => got.some((m) => 'id' in m && m.id === 'a'));
    expect(got.find((m) => 'id' in m && m.id === 'a')).toHaveProperty('result');
    await client.send({ jsonrpc: '2.0', id: 'b', method: 'tools/call', params: { name: 't' } });
    await until(() => got.some((m) => 'id' in m && m.id === 'b'));
    const b = got.find((m) => 'id' in m && m.id === 'b') as unknown as {
      error: { code: number; message: string; data: { httpStatus: number } };
    };
    expect(b.error.code).toBe(BridgeErrorCode.UPSTREAM_HTTP);
    expect(b.error.data.httpStatus).toBe(502);
    expect(b.error.message).toContain('acme');
    expect(up.sent.filter((m) => 'method' in m && m.method === 'tools/call')).toHaveLength(1);
  });

  // A 2026-07-28 client has no session: when the project's endpoint moves (a per-tenant endpoint
  // appears or is withdrawn) there is no initialize to replay, only a new upstream to use.
  /** Upstreams of a stateless (2026-07-28) server: no session, GET stream irrelevant. */
  function statelessUpstreams(reply: (m: Message, u: ScriptedUpstream, which: number) => void) {
    const ups: ScriptedUpstream[] = [];
    const connect = () => {
      const which = ups.length + 1;
      const up = new ScriptedUpstream((m, u) => reply(m, u, which));
      up.sessionId = undefined;
      up.openGetStream();
      ups.push(up);
      return up;
    };
    return { ups, connect };
  }

  it('a stateless client follows a moved endpoint: new upstream, the request sent there, no initialize', async () => {
    const { ups, connect } = statelessUpstreams((m, u, which) => {
      if (which === 1 && 'method' in m && m.method === 'tools/call') {
        throw new ScriptedFailure({
          kind: 'network',
          httpStatus: null,
          neverSent: true,
          sessionLost: true,
          moved: true,
          detail: 'the project moved to another endpoint',
        });
      }
      echoServer(m, u);
    });
    const { client, got, until } = await harness(connect);
    await client.send({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'echo' } });
    await until(() => got.some((m) => 'id' in m && m.id === 7));
    expect(got.find((m) => 'id' in m && m.id === 7)).toMatchObject({
      result: { echoed: 'tools/call' },
    });
    expect(ups).toHaveLength(2);
    expect(ups[1]!.sent.map((m) => ('method' in m ? m.method : ''))).toEqual(['tools/call']);
  });

  it("a moved endpoint told by the switch: a stateless client's open stream ends, later requests go to the new upstream", async () => {
    const { ups, connect } = statelessUpstreams((m, u) => {
      if ('method' in m && m.method === 'subscriptions/listen') return; // stays open
      echoServer(m, u);
    });
    const { client, got, until } = await harness(connect);
    await client.send({ jsonrpc: '2.0', id: 'listen', method: 'subscriptions/listen', params: {} });
    await until(() => ups[0]!.sent.length === 1);
    ups[0]!.onsessionlost?.();
    await until(() => got.some((m) => 'id' in m && m.id === 'listen'));
    expect(got.find((m) => 'id' in m && m.id === 'listen')).toMatchObject({
      error: { code: BridgeErrorCode.STREAM_LOST },
    });
    await client.send({ jsonrpc: '2.0', id: 8, method: 'tools/list' });
    await until(() => got.some((m) => 'id' in m && m.id === 8));
    expect(ups).toHaveLength(2);
    expect(ups[1]!.sent.map((m) => ('method' in m ? m.method : ''))).toEqual(['tools/list']);
  });
});
