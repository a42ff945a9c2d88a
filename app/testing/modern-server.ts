import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  McpServer,
  acceptedContent,
  createMcpHandler,
  fromJsonSchema,
  inputRequired,
  inputResponse,
  type McpHttpHandler,
} from '@modelcontextprotocol/server';
import { toNodeHandler } from '@modelcontextprotocol/node';

/** One HTTP request as the modern server saw it. */
export interface ModernSeen {
  httpMethod: string;
  /** The JSON-RPC method of the body (one message per POST in this era). */
  rpcMethod: string | undefined;
  rpcId: string | number | undefined;
  headers: Record<string, string | string[] | undefined>;
  /** The body's `params._meta`, as sent. */
  meta: Record<string, unknown> | undefined;
  /** The body's `params.requestState`, as sent (MRTR retries). */
  requestState: unknown;
  /** The body's `params` (without `_meta`), as sent. */
  params: Record<string, unknown> | undefined;
  status?: number;
}

export interface ModernServer {
  url: string;
  seen: ModernSeen[];
  /** Requests the server dispatched by JSON-RPC method (HTTP 200 answers only). */
  count(method: string): number;
  /** Tool runs that saw their request aborted (the era's cancellation). */
  cancelled: string[];
  notify: McpHttpHandler['notify'];
  close(): Promise<void>;
}

/** The opaque state the MRTR tools mint; a retry must echo it byte for byte. */
export const MRTR_STATE = 'state:{"step":1,"nonce":"é≈ü"}==';

const SLEEP_STEP_MS = 20;

/**
 * A 2026-07-28-only MCP server (SDK v2 `createMcpHandler` with `legacy: 'reject'`) on
 * 127.0.0.1: no `initialize`, no sessions, `server/discover`, `subscriptions/listen`, MRTR.
 * Tools: echo, ask (elicitation), sample (sampling), roots (roots/list), log (notifications at
 * the stamped level), slow (honours cancellation), big (N bytes), change-tools (list-changed),
 * touch (resource updated), regional (a header-mapped `x-mcp-header` parameter). Resources:
 * `test://status`, and `test://flaky`, whose first read loses its connection.
 */
export async function startModernServer(): Promise<ModernServer> {
  const seen: ModernSeen[] = [];
  const cancelled: string[] = [];
  const byMethod = new Map<string, number>();
  let flakyBroken = false;

  const factory = () => {
    const server = new McpServer(
      { name: 'switchboard-modern-server', version: '2.0.0' },
      {
        capabilities: {
          logging: {},
          tools: { listChanged: true },
          resources: { subscribe: true, listChanged: true },
        },
        instructions: 'A 2026-07-28 test server.',
      },
    );
    server.registerTool(
      'echo',
      { description: 'Echoes its input', inputSchema: obj({ message: { type: 'string' } }) },
      async ({ message }) => ({ content: [{ type: 'text', text: `echo: ${String(message)}` }] }),
    );
    server.registerTool(
      'ask',
      { description: 'Asks the user for a name (elicitation)', inputSchema: obj({}) },
      async (_args, ctx) => {
        const answer = inputResponse(ctx.mcpReq.inputResponses, 'name');
        if (answer.kind === 'missing') {
          return inputRequired({
            inputRequests: {
              name: inputRequired.elicit({
                message: 'Your name?',
                requestedSchema: {
                  type: 'object',
                  properties: { name: { type: 'string' } },
                  required: ['name'],
                },
              }),
            },
            requestState: MRTR_STATE,
          });
        }
        const state = ctx.mcpReq.requestState<string>();
        const content = acceptedContent(ctx.mcpReq.inputResponses, 'name');
        const text =
          answer.kind === 'elicit' ? `${answer.action}:${String(content?.name ?? '')}` : 'bad';
        return { content: [{ type: 'text', text: `${text} state=${String(state)}` }] };
      },
    );
    server.registerTool(
      'sample',
      {
        description: 'Asks the client to sample',
        inputSchema: obj({ prompt: { type: 'string' } }),
      },
      async ({ prompt }, ctx) => {
        const answer = inputResponse(ctx.mcpReq.inputResponses, 'llm');
        if (answer.kind !== 'sampling') {
          return inputRequired({
            inputRequests: {
              llm: inputRequired.createMessage({
                messages: [{ role: 'user', content: { type: 'text', text: String(prompt) } }],
                maxTokens: 10,
              }),
            },
          });
        }
        const c = answer.result.content;
        const said = !Array.isArray(c) && c.type === 'text' ? c.text : '?';
        return { content: [{ type: 'text', text: `sampled: ${said}` }] };
      },
    );
    server.registerTool(
      'roots',
      { description: 'Lists the client roots', inputSchema: obj({}) },
      async (_args, ctx) => {
        const answer = inputResponse(ctx.mcpReq.inputResponses, 'roots');
        if (answer.kind !== 'roots') {
          return inputRequired({ inputRequests: { roots: inputRequired.listRoots() } });
        }
        return { content: [{ type: 'text', text: answer.roots.map((r) => r.uri).join(',') }] };
      },
    );
    server.registerTool(
      'log',
      { description: 'Logs at debug, info and error', inputSchema: obj({}) },
      async (_args, ctx) => {
        await ctx.mcpReq.log('debug', 'a debug line');
        await ctx.mcpReq.log('info', 'an info line');
        await ctx.mcpReq.log('error', 'an error line');
        return { content: [{ type: 'text', text: 'logged' }] };
      },
    );
    server.registerTool(
      'slow',
      { description: 'Waits ms milliseconds', inputSchema: obj({ ms: { type: 'number' } }) },
      async ({ ms }, ctx) => {
        const until = Date.now() + Number(ms);
        while (Date.now() < until) {
          if (ctx.mcpReq.signal.aborted) {
            cancelled.push(String(ctx.mcpReq.id));
            return { content: [{ type: 'text', text: 'cancelled' }] };
          }
          await new Promise((r) => setTimeout(r, SLEEP_STEP_MS));
        }
        return { content: [{ type: 'text', text: `slept ${String(ms)}` }] };
      },
    );
    server.registerTool(
      'big',
      { description: 'Returns bytes characters', inputSchema: obj({ bytes: { type: 'number' } }) },
      async ({ bytes }) => ({ content: [{ type: 'text', text: 'x'.repeat(Number(bytes)) }] }),
    );
    server.registerTool(
      'change-tools',
      { description: 'Announces a tool list change', inputSchema: obj({}) },
      async () => {
        handler.notify.toolsChanged();
        return { content: [{ type: 'text', text: 'changed' }] };
      },
    );
    server.registerTool(
      'touch',
      { description: 'Announces a resource update', inputSchema: obj({ uri: { type: 'string' } }) },
      async ({ uri }) => {
        handler.notify.resourceUpdated(String(uri));
        return { content: [{ type: 'text', text: 'touched' }] };
      },
    );
    server.registerTool(
      'regional',
      {
        description: 'Answers with the region it was routed for',
        inputSchema: obj({ region: { type: 'string', 'x-mcp-header': 'Region' } }),
      },
      async ({ region }) => ({ content: [{ type: 'text', text: `region: ${String(region)}` }] }),
    );
    server.registerResource(
      'flaky',
      'test://flaky',
      { mimeType: 'text/plain', description: 'Read fails once at the HTTP level' },
      async (uri) => ({ contents: [{ uri: uri.href, text: 'second time lucky' }] }),
    );
    server.registerResource(
      'status',
      'test://status',
      { mimeType: 'text/plain', description: 'A status line' },
      async (uri) => ({ contents: [{ uri: uri.href, text: 'all good' }] }),
    );
    return server;
  };

  const handler = createMcpHandler(factory, { legacy: 'reject', keepAliveMs: 0 });
  const node = toNodeHandler(handler);
  const httpServer = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: Record<string, unknown> | undefined;
      try {
        body = raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined;
      } catch {
        body = undefined;
      }
      const params = body?.params as Record<string, unknown> | undefined;
      const entry: ModernSeen = {
        httpMethod: req.method ?? '',
        rpcMethod: typeof body?.method === 'string' ? body.method : undefined,
        rpcId: body?.id as string | number | undefined,
        headers: req.headers,
        meta: params?._meta as Record<string, unknown> | undefined,
        requestState: params?.requestState,
        params,
      };
      seen.push(entry);
      // `test://flaky` breaks the response stream of its first read after it started.
      if (entry.rpcMethod === 'resources/read' && params?.uri === 'test://flaky' && !flakyBroken) {
        flakyBroken = true;
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(': starting\n\n');
        setTimeout(() => res.socket?.destroy(), 50);
        return;
      }
      res.on('finish', () => {
        entry.status = res.statusCode;
        if (res.statusCode === 200 && entry.rpcMethod && entry.rpcId !== undefined) {
          byMethod.set(entry.rpcMethod, (byMethod.get(entry.rpcMethod) ?? 0) + 1);
        }
      });
      void node(req, res, body).catch((error: Error) => {
        if (!res.headersSent) res.writeHead(500).end(error.message);
      });
    });
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const port = (httpServer.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    seen,
    count: (method) => byMethod.get(method) ?? 0,
    cancelled,
    notify: handler.notify,
    async close() {
      await handler.close().catch(() => undefined);
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}

/** A JSON Schema object of these properties, all optional. */
function obj(properties: Record<string, Record<string, unknown>>) {
  return fromJsonSchema<Record<string, unknown>>({ type: 'object', properties });
}
