import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

type Json = Record<string, unknown>;

/** What a hostile handler gets: the parsed JSON-RPC request and the raw HTTP exchange. */
export interface HostileRequest {
  message: Json;
  req: http.IncomingMessage;
  res: http.ServerResponse;
}

export interface HostileServerOptions {
  /** Answers a request other than initialize (tools/call, …) however the attack needs. */
  onRequest: (r: HostileRequest) => void;
  /** The standalone GET stream; default 405 (the spec allows a server without one). */
  onGet?: (req: http.IncomingMessage, res: http.ServerResponse) => void;
}

export interface HostileServer {
  url: string;
  /** Every request's Authorization header, as received. */
  authorizations: Array<string | undefined>;
  /** How many GETs arrived. */
  gets: () => number;
  /** Sockets currently open to the server. */
  openSockets: () => number;
  close(): Promise<void>;
}

const INIT_RESULT = {
  protocolVersion: '2025-06-18',
  capabilities: { tools: {} },
  serverInfo: { name: 'hostile', version: '1.0.0' },
};

/**
 * A raw node:http MCP endpoint on 127.0.0.1 that speaks just enough Streamable HTTP to get a
 * session going (initialize, notifications) and then misbehaves as each test tells it to: the
 * attacks of issue 16 need bytes no SDK server would send.
 */
export async function startHostileServer(opts: HostileServerOptions): Promise<HostileServer> {
  const authorizations: Array<string | undefined> = [];
  const sockets = new Set<Socket>();
  let gets = 0;
  const server = http.createServer((req, res) => {
    authorizations.push(req.headers.authorization);
    if (req.method === 'GET') {
      gets++;
      if (opts.onGet) opts.onGet(req, res);
      else res.writeHead(405).end();
      return;
    }
    if (req.method === 'DELETE') {
      res.writeHead(200).end();
      return;
    }
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const message = JSON.parse(body) as Json;
      if (!('id' in message)) {
        res.writeHead(202).end();
        return;
      }
      if (message.method === 'initialize') {
        res.writeHead(200, { 'content-type': 'application/json', 'mcp-session-id': 'hostile-1' });
        res.end(JSON.stringify({ jsonrpc: '2.0', id: message.id, result: INIT_RESULT }));
        return;
      }
      opts.onRequest({ message, req, res });
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    authorizations,
    gets: () => gets,
    openSockets: () => sockets.size,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
