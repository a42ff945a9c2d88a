import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { bridgeStdio } from './conformance-front.js';
import { isLocalHostHeader } from './conformance-server.js';

interface Waiting {
  id: string | number;
  res: http.ServerResponse;
  progressToken: unknown;
  streaming: boolean;
}

/**
 * Test-only stateless HTTP front for the 2026-07-28 conformance server suite: every POST's
 * message goes to one real `switchboard bridge` over stdio (as a 2026-07-28 client would speak
 * to it) and its answer comes back as JSON, or as an SSE stream when notifications for it (by
 * progress token, else the latest request) arrive first. Ids are made unique on the way in, so
 * runs that reuse ids cannot cross.
 */
export async function startModernConformanceFront(opts: {
  project: string;
  env: NodeJS.ProcessEnv;
}): Promise<{ url: string; close: () => Promise<void> }> {
  const bridge = bridgeStdio(opts);
  const waiting = new Map<string, Waiting>();
  let seq = 0;
  const sse = (w: Waiting, m: object) => {
    if (!w.streaming) {
      w.streaming = true;
      w.res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    }
    w.res.write(`event: message\ndata: ${JSON.stringify(m)}\n\n`);
  };
  bridge.onmessage = (m: JSONRPCMessage) => {
    if ('id' in m && !('method' in m)) {
      const w = waiting.get(String(m.id));
      if (!w) return;
      waiting.delete(String(m.id));
      const answer = { ...m, id: w.id };
      if (w.streaming) {
        sse(w, answer);
        w.res.end();
      } else {
        w.res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
      }
      return;
    }
    if ('id' in m) return; // a 2026-07-28 server sends no requests
    const token = (m as { params?: { progressToken?: unknown } }).params?.progressToken;
    const all = [...waiting.values()];
    const target =
      (token !== undefined ? all.find((w) => w.progressToken === token) : undefined) ?? all.at(-1);
    if (target) sse(target, m);
  };
  await bridge.start();

  const server = http.createServer((req, res) => {
    if (!isLocalHostHeader(req.headers.host)) {
      res.writeHead(403).end('Forbidden: Host not allowed');
      return;
    }
    if (req.method !== 'POST') {
      res.writeHead(405, { allow: 'POST' }).end('Method not allowed.');
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let m: Record<string, unknown>;
      try {
        m = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      } catch {
        res.writeHead(400).end('Parse error');
        return;
      }
      if (m.id === undefined || m.id === null) {
        void bridge.send(m as JSONRPCMessage).catch(() => undefined);
        res.writeHead(202).end();
        return;
      }
      const id = `front-${++seq}`;
      const params = m.params as { _meta?: { progressToken?: unknown } } | undefined;
      waiting.set(id, {
        id: m.id as string | number,
        res,
        progressToken: params?._meta?.progressToken,
        streaming: false,
      });
      res.on('close', () => {
        // Closed before its answer: the runner gave up on it (how this era cancels).
        if (waiting.delete(id)) {
          void bridge
            .send({
              jsonrpc: '2.0',
              method: 'notifications/cancelled',
              params: { requestId: id },
            } as JSONRPCMessage)
            .catch(() => undefined);
        }
      });
      void bridge.send({ ...m, id } as JSONRPCMessage).catch(() => undefined);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    close: async () => {
      await bridge.close().catch(() => undefined);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
