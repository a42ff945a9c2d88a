import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';

/**
 * A local stand-in for the project-scoped gateway (tests only, 127.0.0.1): the token API
 * (`/api/v1/mcptokens` mint/revoke/introspect, authenticated with an admin key) and an MCP
 * endpoint at `/mcp` that accepts only live minted tokens, stored as SHA-256 like the real one.
 */
export interface IssuerServer {
  url: string;
  mcpUrl: string;
  adminKey: string;
  /** Tokens currently valid, by remote id (hashes only). */
  liveTokenIds(): string[];
  /** Number of MCP requests refused for a bad token. */
  refused: number;
  /** Mint a token directly (as if issued elsewhere). */
  issue(name: string): string;
  close(): Promise<void>;
}

interface Stored {
  id: string;
  name: string;
  project: string;
  sha256: string;
  expiresAt: string | null;
  revoked: boolean;
  lastUsedAt: string | null;
}

const sha = (v: string) => crypto.createHash('sha256').update(v).digest('hex');

function ttlToExpiry(ttl: unknown): string | null {
  if (ttl === 'never' || ttl === undefined) return null;
  const m = typeof ttl === 'string' ? /^(\d+)([hd])$/.exec(ttl) : null;
  if (m)
    return new Date(
      Date.now() + Number(m[1]) * (m[2] === 'h' ? 3_600_000 : 86_400_000),
    ).toISOString();
  const t = typeof ttl === 'string' ? Date.parse(ttl) : NaN;
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

function buildMcpServer(): McpServer {
  const server = new McpServer({ name: 'issuer-test-server', version: '1.0.0' });
  server.registerTool(
    'echo',
    { description: 'Echoes its input', inputSchema: { text: z.string() } },
    async ({ text }) => ({ content: [{ type: 'text', text }] }),
  );
  server.registerTool(
    'add',
    { description: 'Adds two numbers', inputSchema: { a: z.number(), b: z.number() } },
    async ({ a, b }) => ({ content: [{ type: 'text', text: String(a + b) }] }),
  );
  server.registerTool('fail', { description: 'Always fails' }, async () => ({
    isError: true,
    content: [{ type: 'text', text: 'this tool always fails' }],
  }));
  return server;
}

export async function startIssuerServer(opts: { prefix?: string } = {}): Promise<IssuerServer> {
  const prefix = opts.prefix ?? 'sbx';
  const adminKey = `${prefix}adm_${crypto.randomBytes(16).toString('hex')}`;
  const tokens = new Map<string, Stored>();
  let refused = 0;

  const mint = (name: string, project: string, ttl: unknown) => {
    const raw = `${prefix}_${crypto.randomBytes(24).toString('base64url')}`;
    const stored: Stored = {
      id: `mt_${crypto.randomBytes(6).toString('hex')}`,
      name,
      project,
      sha256: sha(raw),
      expiresAt: ttlToExpiry(ttl),
      revoked: false,
      lastUsedAt: null,
    };
    tokens.set(stored.id, stored);
    return { raw, stored };
  };
  const live = (raw: string) => {
    const h = sha(raw);
    return [...tokens.values()].find(
      (t) => t.sha256 === h && !t.revoked && (!t.expiresAt || Date.parse(t.expiresAt) > Date.now()),
    );
  };
  const json = (res: http.ServerResponse, status: number, body?: unknown) => {
    res.writeHead(status, body === undefined ? {} : { 'content-type': 'application/json' });
    res.end(body === undefined ? undefined : JSON.stringify(body));
  };
  const readBody = async (req: http.IncomingMessage): Promise<unknown> => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    return text ? JSON.parse(text) : undefined;
  };

  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (url.pathname.startsWith('/api/v1/mcptokens')) {
        if (bearer !== adminKey) return json(res, 401, { error: 'invalid admin key' });
        if (req.method === 'POST' && url.pathname === '/api/v1/mcptokens') {
          const body = (await readBody(req)) as { name?: string; project?: string; ttl?: string };
          if (!body?.name || !body.project)
            return json(res, 400, { error: 'name and project are required' });
          const { raw, stored } = mint(body.name, body.project, body.ttl);
          return json(res, 201, {
            id: stored.id,
            name: stored.name,
            token: raw,
            expires_at: stored.expiresAt,
          });
        }
        if (req.method === 'POST' && url.pathname === '/api/v1/mcptokens/introspect') {
          const body = (await readBody(req)) as { token?: string };
          const t = body?.token ? live(body.token) : undefined;
          return json(
            res,
            200,
            t
              ? {
                  active: true,
                  id: t.id,
                  name: t.name,
                  expires_at: t.expiresAt,
                  last_used_at: t.lastUsedAt,
                }
              : { active: false },
          );
        }
        const m = /^\/api\/v1\/mcptokens\/([^/]+)$/.exec(url.pathname);
        if (req.method === 'DELETE' && m) {
          const t = tokens.get(decodeURIComponent(m[1]!));
          if (!t) return json(res, 404, { error: 'no such token' });
          t.revoked = true;
          return json(res, 204);
        }
        return json(res, 404, { error: 'not found' });
      }
      if (url.pathname === '/mcp') {
        const t = bearer ? live(bearer) : undefined;
        if (!t) {
          refused++;
          res.writeHead(401, {
            'www-authenticate': 'Bearer error="invalid_token"',
            'content-type': 'application/json',
          });
          return res.end(JSON.stringify({ error: 'invalid_token' }));
        }
        t.lastUsedAt = new Date().toISOString();
        const body = req.method === 'POST' ? await readBody(req) : undefined;
        // Stateless: a fresh server and transport per request.
        const mcp = buildMcpServer();
        const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
        res.on('close', () => {
          void transport.close();
          void mcp.close();
        });
        await mcp.connect(transport);
        await transport.handleRequest(req, res, body);
        return;
      }
      json(res, 404, { error: 'not found' });
    })().catch((error: Error) => {
      if (!res.headersSent) json(res, 500, { error: error.message });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  return {
    url: base,
    mcpUrl: `${base}/mcp`,
    adminKey,
    liveTokenIds: () => [...tokens.values()].filter((t) => !t.revoked).map((t) => t.id),
    get refused() {
      return refused;
    },
    issue: (name) => mint(name, 'direct', 'never').raw,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** `switchboard project add` arguments for a bearer project that mints through `issuer`. */
export function issuerProjectArgs(
  issuer: Pick<IssuerServer, 'url' | 'mcpUrl'>,
  name: string,
): string[] {
  return [
    'project',
    'add',
    name,
    '--url',
    issuer.mcpUrl,
    '--auth',
    'bearer',
    '--issuer',
    issuer.url,
    '--issuer-project',
    'demo',
  ];
}
