import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProjectsService } from '../projects/projects-service.js';
import { spawnBridge, type BridgeProcess } from '../testing/bridge-process.js';
import { startMcpTestServer, type McpTestServer } from '../testing/mcp-test-server.js';
import { runCliProcess } from '../testing/run-cli.js';
import { makeTempHome, type TempHome } from '../testing/temp-home.js';
import { BridgeErrorCode } from './protocol.js';

// Real peers only: the built bridge as a child process, an SDK-built server on 127.0.0.1.
let home: TempHome;
let server: McpTestServer;
let bridge: BridgeProcess | undefined;
let projects: ProjectsService;

beforeEach(async () => {
  home = await makeTempHome('sb-bridge-');
  projects = new ProjectsService(home.dataDir);
});

afterEach(async () => {
  bridge?.kill();
  bridge = undefined;
  await server?.close();
  await home.cleanup();
});

async function setup(
  opts: Parameters<typeof startMcpTestServer>[0] = {},
  auth: 'none' | 'bearer' = 'none',
  env: NodeJS.ProcessEnv = {},
): Promise<BridgeProcess> {
  server = await startMcpTestServer(opts);
  await projects.add({ name: 'acme', url: server.url, auth });
  bridge = spawnBridge('acme', { ...home.env, SWITCHBOARD_SECRET_STORE: 'file', ...env });
  return bridge;
}

const text = (m: Record<string, unknown>) =>
  ((m.result as { content?: Array<{ text?: string }> })?.content?.[0]?.text ?? '') as string;
const err = (m: Record<string, unknown>) =>
  m.error as { code: number; message: string; data?: { httpStatus: number | null } };
const call = (b: BridgeProcess, id: string | number, name: string, args: object = {}) =>
  b.request(id, 'tools/call', { name, arguments: args }, 15_000);

/** Every id answered exactly once, and stdout held nothing but JSON-RPC. */
async function expectAnsweredOnce(b: BridgeProcess, ids: Array<string | number>) {
  // Give a late duplicate the chance to show up before counting.
  await new Promise((r) => setTimeout(r, 300));
  for (const id of ids) expect(b.answers(id), `answers to ${id}`).toHaveLength(1);
  expect(b.badStdout).toEqual([]);
}

async function auditEvents(): Promise<Array<Record<string, unknown>>> {
  const dir = path.join(home.dataDir, 'audit');
  const files = await fs.readdir(dir);
  const lines = (await Promise.all(files.map((f) => fs.readFile(path.join(dir, f), 'utf8'))))
    .join('')
    .split('\n')
    .filter(Boolean);
  return lines.map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('bridge against an SDK-built server', () => {
  // The switch back to the SDK's own transport lives in a separate bundle file (sdk-http.mjs)
  // that the CommonJS bridge loads on demand: prove the built bridge still finds and runs it.
  it('runs on the SDK transport when SWITCHBOARD_BRIDGE_TRANSPORT=sdk', async () => {
    const b = await setup({}, 'none', { SWITCHBOARD_BRIDGE_TRANSPORT: 'sdk' });
    await b.handshake({});
    expect(text(await call(b, 1, 'echo', { message: 'via sdk' }))).toBe('Echo: via sdk');
    // fetch (the SDK transport) sends a user-agent and sec-fetch-mode; node:http (ours) neither.
    const post = server.seen.find((s) => s.rpcMethods.includes('tools/call'));
    expect(post?.headers['sec-fetch-mode']).toBe('cors');
    b.closeStdin();
    expect((await b.exited).code).toBe(0);
  });

  it('forwards, sets the protocol version header, audits, and exits 0 with DELETE on stdin EOF', async () => {
    const b = await setup();
    const init = await b.handshake({ sampling: {} });
    expect((init.result as { protocolVersion: string }).protocolVersion).toBe('2025-06-18');
    const r = await call(b, 1, 'echo', { message: 'hello' });
    expect(text(r)).toBe('Echo: hello');
    const afterInit = server.seen.filter((s) => s.rpcMethods.includes('tools/call'));
    expect(afterInit[0]?.protocolVersion).toBe('2025-06-18');
    expect(afterInit[0]?.sessionId).toBeTruthy();
    // The standalone GET stream was opened after initialized.
    expect(server.seen.some((s) => s.httpMethod === 'GET')).toBe(true);

    b.closeStdin();
    const exit = await b.exited;
    expect(exit.code).toBe(0);
    expect(server.deletes).toBe(1);
    await expectAnsweredOnce(b, ['init', 1]);

    const events = await auditEvents();
    const resp = events.find((e) => e.kind === 'response' && e.id === '1');
    expect(resp).toMatchObject({
      method: 'tools/call',
      target: 'echo',
      status: 'ok',
      client: { name: 'bridge-test', version: '1.2.3' },
      direction: 'server->client',
    });
    expect(typeof resp?.durationMs).toBe('number');
    expect(events.some((e) => e.kind === 'session-end')).toBe(true);
  });

  it('passes server→client sampling requests and progress notifications both ways', async () => {
    const b = await setup();
    await b.handshake({ sampling: {} });
    b.send({
      jsonrpc: '2.0',
      id: 2,
      method: 'tools/call',
      params: { name: 'sample', arguments: { prompt: 'hi' } },
    });
    const ask = await b.waitFor((m) => m.method === 'sampling/createMessage', 10_000, 'sampling');
    b.send({
      jsonrpc: '2.0',
      id: ask.id as number,
      result: { role: 'assistant', model: 'test', content: { type: 'text', text: 'pong' } },
    });
    const r = await b.waitFor((m) => m.id === 2 && 'result' in m, 10_000, 'sample result');
    expect(text(r)).toBe('sampled: pong');

    const p = await b.request(
      3,
      'tools/call',
      { name: 'progress', arguments: { steps: 4 }, _meta: { progressToken: 'tok-7' } },
      10_000,
    );
    expect(text(p)).toBe('done 4');
    const progress = b.messages.filter(
      (m) =>
        m.method === 'notifications/progress' &&
        (m.params as { progressToken?: unknown }).progressToken === 'tok-7',
    );
    expect(progress).toHaveLength(4);
    await expectAnsweredOnce(b, [2, 3]);
  });

  it('answers a malformed line with -32700, a bad envelope with -32600, a reserved id with its own code, and keeps running', async () => {
    const b = await setup();
    await b.handshake();
    b.send('this is not json{');
    const parse = await b.waitFor((m) => err(m)?.code === -32700, 5000, 'parse error');
    expect(parse.id).toBeNull();
    b.send({ jsonrpc: '1.0', id: 'bad', method: 'ping' });
    const invalid = await b.waitFor((m) => m.id === 'bad', 5000, 'invalid request');
    expect(err(invalid).code).toBe(-32600);
    const reserved = await b.request('switchboard-bridge-mine', 'ping');
    expect(err(reserved).code).toBe(BridgeErrorCode.RESERVED_ID);
    const r = await call(b, 4, 'echo', { message: 'still alive' });
    expect(text(r)).toBe('Echo: still alive');
    await expectAnsweredOnce(b, ['bad', 'switchboard-bridge-mine', 4]);
  });

  it('passes 10 MB messages in both directions', async () => {
    const b = await setup();
    await b.handshake();
    const big = 'y'.repeat(10 * 1024 * 1024);
    const up = await call(b, 5, 'length', { text: big });
    expect(text(up)).toBe(String(big.length));
    const down = await call(b, 6, 'big', { bytes: 10 * 1024 * 1024 });
    expect(text(down).length).toBe(10 * 1024 * 1024);
    await expectAnsweredOnce(b, [5, 6]);
  });

  it('re-initializes after 404 session loss, replays setLevel, retries the call and tells the client to re-list', async () => {
    const b = await setup({ sessionLossStatus: 404 });
    await b.handshake();
    await b.request(7, 'logging/setLevel', { level: 'debug' });
    server.expireSessions();
    const r = await call(b, 8, 'echo', { message: 'after expiry' });
    expect(text(r)).toBe('Echo: after expiry');
    expect(server.seen.filter((s) => s.rpcMethods.includes('initialize'))).toHaveLength(2);
    expect(server.seen.filter((s) => s.rpcMethods.includes('logging/setLevel'))).toHaveLength(2);
    await b.waitFor((m) => m.method === 'notifications/tools/list_changed', 5000, 'list_changed');
    // The replayed initialize's answer is swallowed: the client saw exactly one.
    expect(
      b.messages.filter((m) => (m.result as { serverInfo?: unknown })?.serverInfo),
    ).toHaveLength(1);
    await expectAnsweredOnce(b, ['init', 7, 8]);
  });

  it('treats a 400 that names the session as session loss (server-everything style)', async () => {
    const b = await setup({ sessionLossStatus: 400 });
    await b.handshake();
    server.expireSessions();
    const r = await call(b, 9, 'echo', { message: 'after 400' });
    expect(text(r)).toBe('Echo: after 400');
    await expectAnsweredOnce(b, [9]);
  });

  it('survives an upstream restart mid-session', async () => {
    const b = await setup();
    await b.handshake();
    expect(text(await call(b, 10, 'echo', { message: 'before' }))).toBe('Echo: before');
    await server.restart(300);
    // The standalone GET stream notices first and re-initializes without waiting for a request.
    for (let i = 0; i < 100; i++) {
      if (server.seen.filter((s) => s.rpcMethods.includes('initialize')).length === 2) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(server.seen.filter((s) => s.rpcMethods.includes('initialize'))).toHaveLength(2);
    expect(text(await call(b, 11, 'echo', { message: 'after' }))).toBe('Echo: after');
    await expectAnsweredOnce(b, [10, 11]);
  });

  it('answers 401 with the auth code, httpStatus and the fix; the token never leaks', async () => {
    const secret = 'sbtest_' + 'k'.repeat(32);
    const b = await setup({ token: 'a-different-token-value' }, 'bearer');
    const added = await runCliProcess(['token', 'add', 'acme', '--token-stdin'], {
      env: { ...home.env, SWITCHBOARD_SECRET_STORE: 'file' },
      stdin: secret,
    });
    expect(added.code, added.stderr).toBe(0);
    const init = await b.request('init', 'initialize', {
      protocolVersion: '2025-06-18',
      capabilities: {},
      clientInfo: { name: 't', version: '1' },
    });
    expect(err(init).code).toBe(BridgeErrorCode.AUTH);
    expect(err(init).data?.httpStatus).toBe(401);
    expect(err(init).message).toMatch(/acme/);
    expect(err(init).message).toMatch(/rotate it in Switchboard/i);
    // The server saw our bearer (so credentials come from the vault), but nothing else did.
    expect(server.seen[0]?.authorization).toBe(`Bearer ${secret}`);
    b.closeStdin();
    expect((await b.exited).code).toBe(0);
    const everything = [
      JSON.stringify(b.messages),
      b.stderr(),
      JSON.stringify(await auditEvents()),
    ].join('\n');
    expect(everything).not.toContain(secret);
  });

  it('sends a rotated token on the next requests without a restart', async () => {
    const first = 'sbtest_' + 'a'.repeat(32);
    const second = 'sbtest_' + 'b'.repeat(32);
    const env = { ...home.env, SWITCHBOARD_SECRET_STORE: 'file' };
    const b = await setup({ token: first }, 'bearer');
    const added = await runCliProcess(['token', 'add', 'acme', '--token-stdin'], {
      env,
      stdin: first,
    });
    expect(added.code, added.stderr).toBe(0);
    await b.handshake();
    expect(text(await call(b, 'r1', 'echo', { message: 'one' }))).toBe('Echo: one');
    server.setToken(second);
    const rotated = await runCliProcess(['token', 'rotate', 'acme', '--token-stdin'], {
      env,
      stdin: second,
    });
    expect(rotated.code, rotated.stderr).toBe(0);
    let ok: Record<string, unknown> | undefined;
    for (let i = 0; i < 30 && !ok; i++) {
      const r = await call(b, `r2-${i}`, 'echo', { message: 'two' });
      if ('error' in r) {
        // Until the bridge notices the rotation the server refuses the old token.
        expect(err(r).code).toBe(BridgeErrorCode.AUTH);
        await new Promise((res) => setTimeout(res, 100));
      } else ok = r;
    }
    expect(text(ok ?? {})).toBe('Echo: two');
    expect(server.seen.at(-1)?.authorization).toBe(`Bearer ${second}`);
    b.closeStdin();
    expect((await b.exited).code).toBe(0);
    const events = await auditEvents();
    // Audit names the token by fingerprint: two tokens, two fingerprints, never the value.
    const fingerprints = new Set(events.map((e) => e.tokenFingerprint).filter(Boolean));
    expect(fingerprints.size).toBe(2);
    const everything = [JSON.stringify(b.messages), b.stderr(), JSON.stringify(events)];
    expect(everything.join('\n')).not.toContain(first);
    expect(everything.join('\n')).not.toContain(second);
  });

  it('answers a 500 once, without replaying the tools/call, then carries on', async () => {
    const b = await setup();
    await b.handshake();
    await b.request('ping-1', 'ping'); // initialized has been delivered: the 500 hits the call
    server.failNext(500);
    const r = await call(b, 12, 'echo', { message: 'x' });
    expect(err(r).code).toBe(BridgeErrorCode.UPSTREAM_HTTP);
    expect(err(r).data?.httpStatus).toBe(500);
    expect(server.seen.filter((s) => s.rpcMethods.includes('tools/call'))).toHaveLength(1);
    expect(text(await call(b, 13, 'echo', { message: 'ok' }))).toBe('Echo: ok');
    await expectAnsweredOnce(b, [12, 13]);
  });

  it('answers "server unreachable" when the connection is refused, and recovers when it is back', async () => {
    const b = await setup();
    await b.handshake();
    await server.stop();
    const r = await call(b, 14, 'echo', { message: 'x' });
    expect(err(r).code).toBe(BridgeErrorCode.UNREACHABLE);
    expect(err(r).message).toMatch(/server unreachable/);
    await server.start();
    expect(text(await call(b, 15, 'echo', { message: 'back' }))).toBe('Echo: back');
    await expectAnsweredOnce(b, [14, 15]);
  });

  it('works with a server that answers POSTs with plain JSON instead of SSE', async () => {
    const b = await setup({ jsonResponse: true });
    await b.handshake();
    const [a, c] = await Promise.all([
      call(b, 40, 'echo', { message: 'json-1' }),
      call(b, 41, 'echo', { message: 'json-2' }),
    ]);
    expect(text(a)).toBe('Echo: json-1');
    expect(text(c)).toBe('Echo: json-2');
    const listed = await b.request(42, 'tools/list', {}, 15_000);
    expect((listed.result as { tools: unknown[] }).tools.length).toBeGreaterThan(0);
    await expectAnsweredOnce(b, [40, 41, 42]);
  });

  it('waits for a slow server instead of failing', async () => {
    const b = await setup();
    await b.handshake();
    server.setDelay(1500);
    const [a, c] = await Promise.all([
      call(b, 16, 'echo', { message: 'slow-1' }),
      call(b, 17, 'slow', { ms: 200 }),
    ]);
    expect(text(a)).toBe('Echo: slow-1');
    expect(text(c)).toBe('slept 200');
    await expectAnsweredOnce(b, [16, 17]);
  });

  it('answers a request whose SSE stream drops mid-response, and does not replay it', async () => {
    const b = await setup();
    await b.handshake();
    b.send({
      jsonrpc: '2.0',
      id: 18,
      method: 'tools/call',
      params: { name: 'hang', arguments: {} },
    });
    await b.waitFor(
      (m) =>
        m.method === 'notifications/message' && (m.params as { data?: unknown }).data === 'hanging',
      10_000,
      'the hang tool to start',
    );
    expect(server.dropStreams()).toBeGreaterThan(0);
    const r = await b.waitFor((m) => m.id === 18, 10_000, 'answer to the dropped call');
    expect(err(r).code).toBe(BridgeErrorCode.STREAM_LOST);
    expect(server.calls.get('hang')).toBe(1);
    expect(text(await call(b, 19, 'echo', { message: 'next' }))).toBe('Echo: next');
    await expectAnsweredOnce(b, [18, 19]);
  });

  it('honours the kill switch: pending and new requests are refused, reconnect resumes', async () => {
    const b = await setup();
    await b.handshake();
    b.send({
      jsonrpc: '2.0',
      id: 20,
      method: 'tools/call',
      params: { name: 'hang', arguments: {} },
    });
    await b.waitFor((m) => m.method === 'notifications/message', 10_000, 'the hang tool to start');
    const off = await runCliProcess(['disconnect', 'acme'], { env: home.env });
    expect(off.code, off.stderr).toBe(0);
    const pending = await b.waitFor((m) => m.id === 20, 5000, 'the pending call to be refused');
    expect(err(pending).code).toBe(BridgeErrorCode.DISCONNECTED);
    expect(err(pending).message).toMatch(/project disconnected in Switchboard/);
    const refused = await call(b, 21, 'echo', { message: 'x' });
    expect(err(refused).code).toBe(BridgeErrorCode.DISCONNECTED);
    expect(server.seen.filter((s) => s.rpcMethods.includes('tools/call'))).toHaveLength(1);

    const on = await runCliProcess(['connect', 'acme'], { env: home.env });
    expect(on.code, on.stderr).toBe(0);
    // Within the watch interval the bridge forwards again.
    let answer: Record<string, unknown> | undefined;
    for (let i = 0; i < 20 && !answer; i++) {
      const r = await call(b, `again-${i}`, 'echo', { message: 'on' });
      if (!('error' in r)) answer = r;
      else await new Promise((res) => setTimeout(res, 100));
    }
    expect(text(answer ?? {})).toBe('Echo: on');
    await expectAnsweredOnce(b, [20, 21]);
  });

  it('exits 0 and deletes the session on SIGTERM', async () => {
    const b = await setup();
    await b.handshake();
    await call(b, 22, 'echo', { message: 'x' });
    b.child.kill('SIGTERM');
    const exit = await b.exited;
    expect(exit.code).toBe(0);
    expect(server.deletes).toBe(1);
  });
});
