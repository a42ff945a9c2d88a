import fs from 'node:fs';
import type http from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProjectsService } from '../projects/projects-service.js';
import { spawnBridge, type BridgeProcess } from '../testing/bridge-process.js';
import { startHostileServer, type HostileServer } from '../testing/hostile-server.js';
import { runCliProcess } from '../testing/run-cli.js';
import { makeTempHome, type TempHome } from '../testing/temp-home.js';
import { BridgeErrorCode, INVALID_REQUEST } from './protocol.js';

// Issue 16's attacks from the server side, against the built bridge as a child process, spawned
// with the stripped environment an MCP client gives it, and a raw node:http server on 127.0.0.1
// that sends what no well-behaved server would.
let home: TempHome;
let server: HostileServer | undefined;
let bridge: BridgeProcess | undefined;

const TOKEN = 'sbt_hostileEchoToken0123456789abcdef';
const LIMIT = 1024 * 1024;

beforeEach(async () => {
  home = await makeTempHome('sb-hostile-');
});

afterEach(async () => {
  bridge?.kill();
  bridge = undefined;
  await server?.close();
  server = undefined;
  await home.cleanup();
});

/** What an MCP client passes: HOME, PATH, SHELL, TERM, USER and the entry's env. */
function clientEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const k of ['PATH', 'SHELL', 'TERM', 'USER'] as const) {
    if (process.env[k] !== undefined) env[k] = process.env[k];
  }
  return {
    ...env,
    HOME: home.home,
    SWITCHBOARD_HOME: home.dataDir,
    SWITCHBOARD_SECRET_STORE: 'file',
    ...extra,
  };
}

type Tool = (r: { res: http.ServerResponse; id: unknown; auth: string | undefined }) => void;

async function setup(
  tools: Record<string, Tool>,
  env: NodeJS.ProcessEnv = {},
  onGet?: (req: http.IncomingMessage, res: http.ServerResponse) => void,
): Promise<BridgeProcess> {
  server = await startHostileServer({
    onGet,
    onRequest: ({ message, req, res }) => {
      const name = (message.params as { name?: string } | undefined)?.name ?? '';
      const tool = tools[name];
      if (!tool) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ jsonrpc: '2.0', id: message.id, result: { tools: [] } }));
        return;
      }
      tool({ res, id: message.id, auth: req.headers.authorization });
    },
  });
  await new ProjectsService(home.dataDir).add({ name: 'acme', url: server.url, auth: 'bearer' });
  const added = await runCliProcess(['token', 'add', 'acme', '--token-stdin'], {
    env: clientEnv({}),
    stdin: TOKEN,
  });
  expect(added.code, added.stderr).toBe(0);
  bridge = spawnBridge('acme', clientEnv(env));
  await bridge.handshake();
  return bridge;
}

const call = (b: BridgeProcess, id: string | number, name: string) =>
  b.request(id, 'tools/call', { name, arguments: {} }, 20_000);
const err = (m: Record<string, unknown>) => m.error as { code: number; message: string };
const okResult = (res: http.ServerResponse, id: unknown, text: string) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', id, result: { content: [{ type: 'text', text }] } }));
};

/** Writes `filler` (no line end) until the peer hangs up or `max` bytes went out. */
function writeEndlessly(res: http.ServerResponse, head: string, max: number): Promise<number> {
  const chunk = Buffer.alloc(64 * 1024, 'x');
  let written = 0;
  return new Promise((resolve) => {
    res.once('close', () => resolve(written));
    res.write(head);
    const pump = () => {
      while (written < max && !res.destroyed) {
        written += chunk.length;
        if (!res.write(chunk)) {
          res.once('drain', pump);
          return;
        }
      }
      if (written >= max) res.end();
    };
    pump();
  });
}

const answeredOnce = async (b: BridgeProcess, id: string | number) => {
  await new Promise((r) => setTimeout(r, 300));
  expect(b.answers(id)).toHaveLength(1);
  expect(b.badStdout).toEqual([]);
};

describe.each(['lean', 'sdk'] as const)('a hostile server, %s upstream transport', (transport) => {
  const env = {
    SWITCHBOARD_BRIDGE_TRANSPORT: transport,
    SWITCHBOARD_MAX_MESSAGE_BYTES: `${LIMIT}`,
  };

  it('an endless SSE line: the stream is dropped, the request answered once naming the limit, the bridge keeps going', async () => {
    let sent: Promise<number> | undefined;
    const b = await setup(
      {
        endless: ({ res }) => {
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          sent = writeEndlessly(
            res,
            'event: message\ndata: {"jsonrpc":"2.0","result":"',
            256 * LIMIT,
          );
        },
        echo: ({ res, id }) => okResult(res, id, 'still here'),
      },
      env,
    );
    const answer = await call(b, 1, 'endless');
    expect(err(answer).code).toBe(BridgeErrorCode.MESSAGE_TOO_LARGE);
    expect(err(answer).message).toContain('1 MiB');
    // The bridge hung up long before the server ran out of bytes to send.
    expect(await sent).toBeLessThan(64 * LIMIT);
    const next = await call(b, 2, 'echo');
    expect(JSON.stringify(next.result)).toContain('still here');
    await answeredOnce(b, 1);
  });

  it('an endless JSON body is cut the same way', async () => {
    let sent: Promise<number> | undefined;
    const b = await setup(
      {
        endless: ({ res }) => {
          res.writeHead(200, { 'content-type': 'application/json' });
          sent = writeEndlessly(res, '{"jsonrpc":"2.0","id":1,"result":"', 256 * LIMIT);
        },
        echo: ({ res, id }) => okResult(res, id, 'still here'),
      },
      env,
    );
    const answer = await call(b, 1, 'endless');
    expect(err(answer).code).toBe(BridgeErrorCode.MESSAGE_TOO_LARGE);
    expect(err(answer).message).toContain('1 MiB');
    expect(await sent).toBeLessThan(64 * LIMIT);
    expect(JSON.stringify((await call(b, 2, 'echo')).result)).toContain('still here');
    await answeredOnce(b, 1);
  });

  it('never quotes a Content-Type value or body text back to the client', async () => {
    const leak = 'sk_live_contentTypeLeak';
    const b = await setup(
      {
        ctype: ({ res }) => {
          res.writeHead(200, { 'content-type': `text/x-${leak}` });
          res.end('whatever');
        },
        badjson: ({ res }) => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(`{"jsonrpc":"2.0","id":2,"result":${'x'}${leak}}`);
        },
      },
      env,
    );
    const a1 = await call(b, 1, 'ctype');
    const a2 = await call(b, 2, 'badjson');
    expect(err(a1).message).toMatch(/unexpected content type/);
    expect(err(a2).message).toMatch(/invalid JSON/);
    const everything = JSON.stringify(b.messages) + b.stderr();
    expect(everything).not.toContain('contentTypeLeak');
    expect(everything).not.toContain('sk_live');
    expect(everything).not.toContain('xsk');
  });

  it('replaces a token the server echoes back before the client sees it', async () => {
    const b = await setup(
      {
        echo: ({ res, id, auth }) => {
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          const log = { jsonrpc: '2.0', method: 'notifications/message', params: { data: auth } };
          const result = {
            jsonrpc: '2.0',
            id,
            result: { content: [{ type: 'text', text: `you sent ${auth}` }] },
          };
          res.end(`data: ${JSON.stringify(log)}\n\ndata: ${JSON.stringify(result)}\n\n`);
        },
      },
      env,
    );
    const answer = await call(b, 1, 'echo');
    expect(JSON.stringify(answer.result)).toContain('you sent Bearer [REDACTED]');
    expect(server!.authorizations.at(-1)).toBe(`Bearer ${TOKEN}`);
    expect(JSON.stringify(b.messages)).not.toContain(TOKEN);
  });

  it('cancelled requests and the kill switch end their upstream exchanges: open sockets return to baseline', async () => {
    const b = await setup(
      {
        hang: ({ res }) => {
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          res.write(': hold\n\n');
        },
        echo: ({ res, id }) => okResult(res, id, 'ok'),
        // Answers, then never closes the stream.
        hold: ({ res, id }) => {
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          res.write(`data: ${JSON.stringify({ jsonrpc: '2.0', id, result: { content: [] } })}\n\n`);
        },
      },
      env,
    );
    await call(b, 'warm', 'echo');
    const fds = () => fs.readdirSync(`/proc/${b.child.pid}/fd`).length;
    const baseline = fds();
    for (let i = 0; i < 50; i++) {
      b.send({
        jsonrpc: '2.0',
        id: `c${i}`,
        method: 'tools/call',
        params: { name: 'hang', arguments: {} },
      });
    }
    await waitUntil(() => server!.openSockets() >= 50, 'the hanging exchanges to open');
    for (let i = 0; i < 50; i++) {
      b.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: `c${i}` } });
    }
    await waitUntil(() => server!.openSockets() <= 3, 'the cancelled exchanges to close');
    await waitUntil(() => fds() <= baseline + 1, 'the bridge to close its sockets');

    // Answered requests whose streams the server holds open are closed by the bridge.
    for (let i = 0; i < 20; i++) await call(b, `h${i}`, 'hold');
    await waitUntil(() => server!.openSockets() <= 3, 'the answered exchanges to close');
    await waitUntil(() => fds() <= baseline + 1, 'the bridge to close its sockets');
    expect(b.stderr()).not.toContain('disconnected');

    // The kill switch answers pending requests and ends their exchanges too.
    for (let i = 0; i < 20; i++) {
      b.send({
        jsonrpc: '2.0',
        id: `k${i}`,
        method: 'tools/call',
        params: { name: 'hang', arguments: {} },
      });
    }
    await waitUntil(() => server!.openSockets() >= 20, 'the hanging exchanges to open');
    const off = await runCliProcess(['disconnect', 'acme'], { env: clientEnv({}) });
    expect(off.code, off.stderr).toBe(0);
    await b.waitFor((m) => m.id === 'k19' && 'error' in m, 10_000, 'the kill-switch answer');
    await waitUntil(() => server!.openSockets() <= 3, 'the refused exchanges to close');
    await waitUntil(() => fds() <= baseline + 1, 'the bridge to close its sockets');
    for (let i = 0; i < 20; i++)
      expect(err(b.answers(`k${i}`)[0]!).code).toBe(BridgeErrorCode.DISCONNECTED);
  });
});

describe('careless and hostile input on either side', () => {
  it('`switchboard test` scrubs a token the server echoes into tool names and results', async () => {
    const b = await setup({
      echo: ({ res, id, auth }) => okResult(res, id, `you sent ${auth}`),
    });
    b.kill();
    // tools/list (no tool name) falls through to the default answer: make it echo too.
    await server!.close();
    server = await startHostileServer({
      onRequest: ({ message, req, res }) => {
        const auth = req.headers.authorization ?? '';
        res.writeHead(200, { 'content-type': 'application/json' });
        const result =
          message.method === 'tools/list'
            ? { tools: [{ name: `t-${auth.slice(7)}`, inputSchema: { type: 'object' } }] }
            : { content: [{ type: 'text', text: `you sent ${auth}` }] };
        res.end(JSON.stringify({ jsonrpc: '2.0', id: message.id, result }));
      },
    });
    const moved = await runCliProcess(['project', 'edit', 'acme', '--url', server.url], {
      env: clientEnv({}),
    });
    expect(moved.code, moved.stderr).toBe(0);
    for (const json of [[], ['--json']]) {
      // A missing tool makes the report list the tools the server has, token and all.
      const r = await runCliProcess(['test', 'acme', '--expect-tools', 'absent', ...json], {
        env: clientEnv({}),
      });
      expect(r.code).toBe(2);
      expect(r.stdout + r.stderr).not.toContain(TOKEN);
      expect(r.stdout + r.stderr).toContain('[REDACTED]');
    }
  });

  it('answers a request whose id is 1e400 (not finite) with -32600', async () => {
    const b = await setup({});
    b.send('{"jsonrpc":"2.0","id":1e400,"method":"tools/list"}');
    const reply = await b.waitFor(
      (m) => (m.error as { code?: number } | undefined)?.code === INVALID_REQUEST,
    );
    expect(reply.id).toBeNull();
    expect(err(reply).message).toMatch(/finite number/);
  });

  it('drops a client line over the limit with a parse error naming it, and keeps going', async () => {
    const b = await setup(
      { echo: ({ res, id }) => okResult(res, id, 'ok') },
      { SWITCHBOARD_MAX_MESSAGE_BYTES: `${LIMIT}` },
    );
    b.send(
      `{"jsonrpc":"2.0","id":"big","method":"tools/call","params":{"x":"${'y'.repeat(2 * LIMIT)}"}}`,
    );
    const reply = await b.waitFor(
      (m) => (m.error as { code?: number } | undefined)?.code === -32700,
    );
    expect(err(reply).message).toContain('1 MiB');
    expect(JSON.stringify((await call(b, 2, 'echo')).result)).toContain('ok');
  });

  it('an SSE `retry: 0` GET stream that closes at once is reopened with a floor and backoff', async () => {
    const b = await setup({}, {}, (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end('retry: 0\n\n');
    });
    await new Promise((r) => setTimeout(r, 2000));
    // Before the fix: ~1200 reopens in these 2 s. With a 250 ms floor that grows, a handful.
    expect(server!.gets()).toBeGreaterThan(1);
    expect(server!.gets()).toBeLessThan(15);
    expect(b.child.exitCode).toBeNull();
  });
});

async function waitUntil(pred: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (pred()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}
