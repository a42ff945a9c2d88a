import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { InMemoryEventStore } from '@modelcontextprotocol/sdk/examples/shared/inMemoryEventStore.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { JSONRPCMessage, RequestId } from '@modelcontextprotocol/sdk/types.js';
import { isLocalHostHeader } from './conformance-server.js';
import { CLI_PATH, REPO_ROOT } from './run-cli.js';

/** A real `switchboard bridge` for `project`, as a raw stdio transport (stderr dropped). */
export function bridgeStdio(opts: {
  project: string;
  env: NodeJS.ProcessEnv;
}): StdioClientTransport {
  return new StdioClientTransport({
    command: process.execPath,
    args: [CLI_PATH, 'bridge', '--project', opts.project],
    env: opts.env as Record<string, string>,
    cwd: REPO_ROOT,
    stderr: 'ignore',
  });
}

/**
 * Test-only HTTP front for the conformance server suite: each HTTP session spawns a real
 * `switchboard bridge` and relays messages between the runner and the bridge's stdio, so the
 * suite measures what the bridge passes through. Messages the server sends unprompted are put on
 * the stream of the request they most likely belong to (by progress token, else the latest one).
 */
export async function startConformanceFront(opts: {
  project: string;
  env: NodeJS.ProcessEnv;
}): Promise<{ url: string; close: () => Promise<void> }> {
  const sessions = new Map<
    string,
    { front: StreamableHTTPServerTransport; bridge: StdioClientTransport }
  >();

  const open = async () => {
    const bridge = bridgeStdio(opts);
    const front: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      eventStore: new InMemoryEventStore(),
      retryInterval: 200,
      onsessioninitialized: (id) => void sessions.set(id, { front, bridge }),
    });
    const pending: RequestId[] = [];
    const byProgressToken = new Map<string | number, RequestId>();
    front.onmessage = (m: JSONRPCMessage) => {
      if ('method' in m && 'id' in m) {
        pending.push(m.id);
        const token = (m.params as { _meta?: { progressToken?: string | number } } | undefined)
          ?._meta?.progressToken;
        if (token !== undefined) byProgressToken.set(token, m.id);
      }
      void bridge.send(m).catch(() => undefined);
    };
    bridge.onmessage = (m: JSONRPCMessage) => {
      if (!('method' in m)) {
        const at = 'id' in m ? pending.indexOf(m.id as RequestId) : -1;
        if (at !== -1) pending.splice(at, 1);
        void front.send(m).catch(() => undefined);
        return;
      }
      const token = (m.params as { progressToken?: string | number } | undefined)?.progressToken;
      const related =
        (token !== undefined ? byProgressToken.get(token) : undefined) ?? pending.at(-1);
      void front
        .send(m, related === undefined ? {} : { relatedRequestId: related })
        .catch(() => void front.send(m).catch(() => undefined));
    };
    front.onclose = () => void bridge.close().catch(() => undefined);
    bridge.onclose = () => void front.close().catch(() => undefined);
    await bridge.start();
    await front.start();
    return front;
  };

  const server = http.createServer((req, res) => {
    void (async () => {
      if (!isLocalHostHeader(req.headers.host)) {
        res.writeHead(403).end('Forbidden: Host not allowed');
        return;
      }
      const sid = req.headers['mcp-session-id'];
      const id = Array.isArray(sid) ? sid[0] : sid;
      const known = id ? sessions.get(id) : undefined;
      if (id && !known) {
        res.writeHead(404).end('Session not found');
        return;
      }
      const front = known?.front ?? (req.method === 'POST' ? await open() : undefined);
      if (!front) {
        res.writeHead(400).end('No session');
        return;
      }
      await front.handleRequest(req, res);
    })().catch((error: Error) => {
      if (!res.headersSent) res.writeHead(500).end(error.message);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    close: async () => {
      await Promise.all(
        [...sessions.values()].map(async (s) => {
          await s.bridge.close().catch(() => undefined);
          await s.front.close().catch(() => undefined);
        }),
      );
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
