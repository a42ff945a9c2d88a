import { getEventListeners } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeHttpRequest } from './node-http-client.js';

// A real node:http server on 127.0.0.1: what the bridge's upstream exchange must get right.
let server: http.Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

async function serve(handler: http.RequestListener): Promise<{ url: URL; sockets: () => number }> {
  let sockets = 0;
  server = http.createServer(handler);
  server.on('connection', () => sockets++);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: new URL(`http://127.0.0.1:${port}/mcp`), sockets: () => sockets };
}

/** The bridge's usual exchange: a JSON-RPC POST, optionally with an abort signal. */
const post = (url: URL, signal?: AbortSignal) =>
  nodeHttpRequest(url, { method: 'POST', headers: {}, body: '{}', ...(signal ? { signal } : {}) });

describe('nodeHttpRequest', () => {
  it('sends method, headers and body, and reuses one connection for sequential calls', async () => {
    const seen: { method?: string; auth?: string; body: string }[] = [];
    const { url, sockets } = await serve((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ method: req.method, auth: req.headers.authorization, body });
        res.writeHead(200, { 'content-type': 'application/json', 'mcp-session-id': 's1' });
        res.end(JSON.stringify({ echo: body }));
      });
    });
    for (let i = 0; i < 5; i++) {
      const r = await nodeHttpRequest(url, {
        method: 'POST',
        headers: { authorization: 'Bearer x', 'content-type': 'application/json' },
        body: `{"n":${i},"é":"ü"}`,
      });
      expect(r.status).toBe(200);
      expect(r.ok).toBe(true);
      expect(r.headers.get('MCP-Session-Id')).toBe('s1');
      expect(JSON.parse(await r.text())).toEqual({ echo: `{"n":${i},"é":"ü"}` });
    }
    expect(seen.map((s) => s.method)).toEqual(['POST', 'POST', 'POST', 'POST', 'POST']);
    expect(seen[0]?.auth).toBe('Bearer x');
    expect(sockets()).toBe(1);
  });

  it('drains a cancelled plain body so the connection is reused', async () => {
    const { url, sockets } = await serve((_req, res) => {
      res.writeHead(202, { 'content-type': 'text/plain' });
      res.end('accepted');
    });
    for (let i = 0; i < 3; i++) {
      const r = await post(url);
      expect(r.status).toBe(202);
      await r.body?.cancel();
    }
    expect(sockets()).toBe(1);
  });

  it('streams an event stream chunk by chunk; cancel cuts it', async () => {
    const { url } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: one\n\n');
      setTimeout(() => res.write('data: two\n\n'), 20);
    });
    const r = await nodeHttpRequest(url, { method: 'GET', headers: {} });
    const chunks: string[] = [];
    const done = r.body!.consume((c) => {
      chunks.push(c.toString());
      if (chunks.join('').includes('two')) void r.body!.cancel();
    });
    await expect(done).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(chunks.join('')).toBe('data: one\n\ndata: two\n\n');
  });

  it('rejects a body the server broke off, instead of treating it as complete', async () => {
    const { url } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"partial":');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const r = await post(url);
    await expect(r.text()).rejects.toMatchObject({ code: 'ECONNRESET' });
  });

  it('rejects with the socket error code when nothing listens', async () => {
    const { url } = await serve(() => undefined);
    await new Promise((resolve) => server!.close(resolve));
    server = undefined;
    await expect(post(url)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('rejects with an AbortError when the signal fires', async () => {
    const { url } = await serve(() => undefined); // never answers
    const abort = new AbortController();
    const pending = post(url, abort.signal);
    setTimeout(() => abort.abort(), 20);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('sends a URL as node:http would: its path and query, userinfo as Basic auth', async () => {
    const seen: Array<{ url?: string; auth?: string }> = [];
    const { url } = await serve((req, res) => {
      seen.push({ url: req.url, auth: req.headers.authorization });
      res.end('{}');
    });
    const withUser = new URL(url);
    withUser.username = 'ann';
    withUser.password = 'p@ss';
    withUser.search = '?key=1';
    const other = new URL(url);
    other.search = '?key=2';
    for (const u of [withUser, other, withUser]) {
      await nodeHttpRequest(u, { method: 'POST', headers: {}, body: '{}' }).then((r) => r.text());
    }
    const basic = `Basic ${Buffer.from('ann:p@ss').toString('base64')}`;
    expect(seen).toEqual([
      { url: '/mcp?key=1', auth: basic },
      { url: '/mcp?key=2', auth: undefined },
      { url: '/mcp?key=1', auth: basic },
    ]);
  });

  it('sends nothing for a signal that already fired', async () => {
    let requests = 0;
    const { url } = await serve((_req, res) => {
      requests++;
      res.end('{}');
    });
    const abort = new AbortController();
    abort.abort();
    const pending = post(url, abort.signal);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    await post(url).then((r) => r.text());
    expect(requests).toBe(1);
  });

  it('the signal cuts a streaming body mid-way, and the server sees the connection close', async () => {
    let closed!: () => void;
    const serverSawClose = new Promise<void>((resolve) => (closed = resolve));
    const { url } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: 1\n\n');
      res.once('close', closed);
    });
    const abort = new AbortController();
    const response = await post(url, abort.signal);
    const chunks: string[] = [];
    const consumed = response.body!.consume((c) => {
      chunks.push(c.toString());
      abort.abort();
    });
    await expect(consumed).rejects.toMatchObject({ name: 'AbortError' });
    await serverSawClose;
    expect(chunks.join('')).toBe('data: 1\n\n');
  });

  it('a signal that fires after its exchange completed leaves the pooled connection alone', async () => {
    const { url, sockets } = await serve((_req, res) => res.end('{"ok":true}'));
    const first = new AbortController();
    const r1 = await post(url, first.signal);
    expect(await r1.text()).toBe('{"ok":true}');
    await new Promise((resolve) => setImmediate(resolve));
    // The exchange let go of the signal (a listener left behind would be a leak per request).
    expect(getEventListeners(first.signal, 'abort')).toHaveLength(0);
    first.abort();
    const r2 = await post(url);
    expect(await r2.text()).toBe('{"ok":true}');
    expect(sockets()).toBe(1);
  });
});
