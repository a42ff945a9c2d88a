import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';

/** One HTTP request as the test server saw it (never the token value, only whether it matched). */
export interface SeenRequest {
  httpMethod: string;
  rpcMethods: string[];
  sessionId: string | undefined;
  protocolVersion: string | undefined;
  authorized: boolean;
  authorization: string | undefined;
  headers: Record<string, string | string[] | undefined>;
  status?: number;
}

export interface TestServerOptions {
  /** When set, every request must carry `Authorization: Bearer <token>` (else 401). */
  token?: string;
  /** What an unknown session id gets: 404 per spec, 400 like server-everything. */
  sessionLossStatus?: 404 | 400;
  /** Answer POSTs with plain application/json instead of an SSE stream. */
  jsonResponse?: boolean;
  port?: number;
  /** Stamp a fresh `mcp-session-id` on every error reply (some servers do; clients must ignore it). */
  sessionIdOnErrors?: boolean;
}

export interface McpTestServer {
  url: string;
  port: number;
  seen: SeenRequest[];
  /** Tool calls that started running, by tool name. */
  calls: Map<string, number>;
  deletes: number;
  /** Forget every session: the next request with an old id gets `sessionLossStatus`. */
  expireSessions(): void;
  /** Stop listening and drop every connection and session; `start()` brings it back. */
  stop(): Promise<void>;
  start(): Promise<void>;
  restart(downMs?: number): Promise<void>;
  /** Delay every MCP response by `ms`. */
  setDelay(ms: number): void;
  /** The next POSTs get these HTTP statuses instead of being handled, one per request. */
  failNext(...statuses: number[]): void;
  /** Destroy open SSE response streams (POST responses still running). */
  dropStreams(): number;
  setToken(token: string | undefined): void;
  close(): Promise<void>;
}

/**
 * An MCP server built from the SDK (McpServer + StreamableHTTPServerTransport), stateful, on
 * 127.0.0.1, with admin hooks for fault tests. Tools: echo, slow, big, progress, hang, sample,
 * elicit, notify-later.
 */
export async function startMcpTestServer(opts: TestServerOptions = {}): Promise<McpTestServer> {
  let token = opts.token;
  const lossStatus = opts.sessionLossStatus ?? 404;
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  const seen: SeenRequest[] = [];
  const calls = new Map<string, number>();
  const openStreams = new Set<http.ServerResponse>();
  let delayMs = 0;
  let failures: number[] = [];
  let deletes = 0;

  const countCall = (name: string) => calls.set(name, (calls.get(name) ?? 0) + 1);

  const buildServer = () => {
    const server = new McpServer(
      { name: 'switchboard-test-server', version: '1.0.0' },
      { capabilities: { logging: {}, tools: { listChanged: true } } },
    );
    server.registerTool(
      'echo',
      { description: 'Echoes its input', inputSchema: { message: z.string() } },
      async ({ message }) => {
        countCall('echo');
        return { content: [{ type: 'text', text: `Echo: ${message}` }] };
      },
    );
    server.registerTool(
      'slow',
      { description: 'Answers after ms milliseconds', inputSchema: { ms: z.number() } },
      async ({ ms }) => {
        countCall('slow');
        await new Promise((r) => setTimeout(r, ms));
        return { content: [{ type: 'text', text: `slept ${ms}` }] };
      },
    );
    server.registerTool(
      'big',
      { description: 'Returns a text of `bytes` characters', inputSchema: { bytes: z.number() } },
      async ({ bytes }) => {
        countCall('big');
        return { content: [{ type: 'text', text: 'x'.repeat(bytes) }] };
      },
    );
    server.registerTool(
      'length',
      { description: 'Returns the length of `text`', inputSchema: { text: z.string() } },
      async ({ text }) => {
        countCall('length');
        return { content: [{ type: 'text', text: String(text.length) }] };
      },
    );
    server.registerTool(
      'progress',
      { description: 'Sends `steps` progress notifications', inputSchema: { steps: z.number() } },
      async ({ steps }, extra) => {
        countCall('progress');
        const progressToken = extra._meta?.progressToken;
        for (let i = 1; i <= steps; i++) {
          if (progressToken !== undefined) {
            await extra.sendNotification({
              method: 'notifications/progress',
              params: { progressToken, progress: i, total: steps },
            });
          }
          await new Promise((r) => setTimeout(r, 5));
        }
        return { content: [{ type: 'text', text: `done ${steps}` }] };
      },
    );
    server.registerTool(
      'hang',
      { description: 'Sends one progress event, then never answers' },
      async (extra) => {
        countCall('hang');
        await extra.sendNotification({
          method: 'notifications/message',
          params: { level: 'info', data: 'hanging' },
        });
        await new Promise(() => undefined);
        return { content: [] };
      },
    );
    server.registerTool(
      'sample',
      { description: 'Asks the client to sample', inputSchema: { prompt: z.string() } },
      async ({ prompt }, extra) => {
        countCall('sample');
        const result = await extra.sendRequest(
          {
            method: 'sampling/createMessage',
            params: {
              messages: [{ role: 'user', content: { type: 'text', text: prompt } }],
              maxTokens: 10,
            },
          },
          z
            .object({ content: z.object({ type: z.string(), text: z.string().optional() }) })
            .passthrough(),
        );
        return { content: [{ type: 'text', text: `sampled: ${result.content.text ?? ''}` }] };
      },
    );
    return server;
  };

  const handleMcp = async (req: http.IncomingMessage, res: http.ServerResponse, body: unknown) => {
    const sid = header(req, 'mcp-session-id');
    let transport = sid ? sessions.get(sid) : undefined;
    if (sid && !transport) {
      res.writeHead(lossStatus, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          jsonrpc: '2.0',
          id: null,
          error: {
            code: -32001,
            message:
              lossStatus === 400
                ? 'Bad Request: No valid session ID provided'
                : 'Session not found',
          },
        }),
      );
      return;
    }
    if (!transport) {
      if (req.method !== 'POST') {
        res.writeHead(400).end('no session');
        return;
      }
      const created = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        enableJsonResponse: opts.jsonResponse === true,
        onsessioninitialized: (id) => {
          sessions.set(id, created);
        },
      });
      created.onclose = () => {
        if (created.sessionId) sessions.delete(created.sessionId);
      };
      await buildServer().connect(created);
      transport = created;
    }
    if (req.method === 'POST') {
      openStreams.add(res);
      res.on('close', () => openStreams.delete(res));
    }
    await transport.handleRequest(req, res, body);
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        let body: unknown;
        try {
          body = raw ? JSON.parse(raw) : undefined;
        } catch {
          body = undefined;
        }
        const auth = header(req, 'authorization');
        const entry: SeenRequest = {
          httpMethod: req.method ?? '',
          rpcMethods: (Array.isArray(body) ? body : [body])
            .map((m) => (m && typeof m === 'object' && 'method' in m ? String(m.method) : ''))
            .filter(Boolean),
          sessionId: header(req, 'mcp-session-id'),
          protocolVersion: header(req, 'mcp-protocol-version'),
          authorized: token === undefined || auth === `Bearer ${token}`,
          authorization: auth,
          headers: req.headers,
        };
        seen.push(entry);
        res.on('finish', () => (entry.status = res.statusCode));
        if (opts.sessionIdOnErrors) stampSessionOnErrors(res);
        if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
        if (!entry.authorized) {
          res
            .writeHead(401, { 'www-authenticate': 'Bearer error="invalid_token"' })
            .end(JSON.stringify({ error: 'invalid_token' }));
          return;
        }
        if (req.method === 'POST' && failures.length > 0) {
          const status = failures.shift() ?? 500;
          res.writeHead(status, { 'content-type': 'text/plain' }).end(`injected ${status}`);
          return;
        }
        if (req.method === 'DELETE') deletes++;
        await handleMcp(req, res, body);
      })().catch((error: Error) => {
        if (!res.headersSent) res.writeHead(500).end(error.message);
      });
    });
  });

  let port = opts.port ?? 0;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        port = (server.address() as AddressInfo).port;
        resolve();
      });
    });
  const closeSessions = async () => {
    const all = [...sessions.values()];
    sessions.clear();
    await Promise.all(all.map((t) => t.close().catch(() => undefined)));
  };
  const stop = async () => {
    await closeSessions();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  await listen();

  const handle: McpTestServer = {
    get url() {
      return `http://127.0.0.1:${port}/mcp`;
    },
    get port() {
      return port;
    },
    seen,
    calls,
    get deletes() {
      return deletes;
    },
    expireSessions: () => {
      // Forget ids without closing streams: like a server that lost its state.
      sessions.clear();
    },
    stop,
    start: listen,
    async restart(downMs = 0) {
      await stop();
      if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
      await listen();
    },
    setDelay: (ms) => (delayMs = ms),
    failNext: (...statuses) => (failures = [...failures, ...statuses]),
    dropStreams() {
      const n = openStreams.size;
      for (const res of openStreams) res.socket?.destroy();
      openStreams.clear();
      return n;
    },
    setToken: (t) => (token = t),
    close: async () => {
      await stop().catch(() => undefined);
    },
  };
  return handle;
}

function stampSessionOnErrors(res: http.ServerResponse): void {
  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => http.ServerResponse;
  res.writeHead = ((status: number, ...rest: unknown[]) => {
    if (status >= 400) res.setHeader('mcp-session-id', randomUUID());
    return writeHead(status, ...rest);
  }) as typeof res.writeHead;
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
