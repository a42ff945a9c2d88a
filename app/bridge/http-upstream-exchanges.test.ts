import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { staticCredentials } from '../tokens/credentials.js';
import { HttpUpstream } from './http-upstream.js';
import type { Id, Message } from './protocol.js';

// How HttpUpstream ends a settled request's HTTP exchange, against a real node:http server on
// 127.0.0.1 that answers every POST over SSE: an answered stream the server ends is simply done
// (nothing cut, nothing reported lost, the connection reused); one the server keeps open is cut
// after the grace; an id used again first ends the stream still open for its previous use.
let server: http.Server | undefined;
let upstream: HttpUpstream | undefined;
afterEach(async () => {
  await upstream?.close();
  upstream = undefined;
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

interface Seen {
  id: Id;
  /** Resolves when the server sees the request's connection side close (the bridge cut it). */
  closed: Promise<void>;
  isClosed: () => boolean;
}

/** `keepOpen`: answer and leave the SSE stream open; otherwise answer and end it. */
async function serve(keepOpen: boolean) {
  const seen: Seen[] = [];
  let sockets = 0;
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const m = JSON.parse(body) as { id: Id };
      let closedNow = false;
      const closed = new Promise<void>((resolve) =>
        res.once('close', () => {
          closedNow = true;
          resolve();
        }),
      );
      seen.push({ id: m.id, closed, isClosed: () => closedNow });
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const answer = JSON.stringify({ jsonrpc: '2.0', id: m.id, result: { n: seen.length } });
      res.write(`event: message\ndata: ${answer}\n\n`);
      if (!keepOpen) res.end();
    });
  });
  server.on('connection', () => sockets++);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const up = new HttpUpstream({
    url: new URL(`http://127.0.0.1:${port}/mcp`),
    headers: {},
    credentials: staticCredentials({}),
  });
  upstream = up;
  const answers: Message[] = [];
  const lost: Id[] = [];
  // Like the core: an answer settles its request at once, with the grace for the server.
  up.onmessage = (m) => {
    answers.push(m as Message);
    const id = (m as { id?: Id }).id;
    if (id !== undefined) up.endExchange(id, true);
  };
  up.onstreamlost = (id) => lost.push(id);
  await up.start();
  const call = async (id: Id) => {
    const before = answers.length;
    await up.send({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'echo' } });
    for (let i = 0; i < 200 && answers.length === before; i++) await delay(10);
    return answers.at(-1);
  };
  return { seen, answers, lost, call, sockets: () => sockets };
}

describe('HttpUpstream exchanges', () => {
  it('an answered stream the server ends is done: not cut, not lost, its connection reused', async () => {
    const s = await serve(false);
    expect(await s.call(1)).toMatchObject({ id: 1, result: { n: 1 } });
    expect(await s.call(2)).toMatchObject({ id: 2, result: { n: 2 } });
    // Past the drain grace that used to be scheduled for every ended stream, and the abort
    // grace: nothing is reported lost, and both POSTs went over one keep-alive connection.
    await delay(1300);
    expect(s.lost).toEqual([]);
    expect(s.sockets()).toBe(1);
    expect(await s.call(3)).toMatchObject({ id: 3, result: { n: 3 } });
    expect(s.sockets()).toBe(1);
  });

  it('an answered stream the server keeps open is cut after the grace, and never reported lost', async () => {
    const s = await serve(true);
    expect(await s.call('a')).toMatchObject({ id: 'a' });
    expect(await s.call('b')).toMatchObject({ id: 'b' });
    const [a, b] = s.seen;
    // Still open right after the answers: the server gets its moment to end them itself.
    expect(a!.isClosed()).toBe(false);
    expect(b!.isClosed()).toBe(false);
    const cut = await Promise.race([
      Promise.all([a!.closed, b!.closed]).then(() => true),
      delay(5000).then(() => false),
    ]);
    expect(cut).toBe(true);
    await delay(100);
    expect(s.lost).toEqual([]);
  });

  it('an id used again ends the stream still open for its previous use, and answers the new one', async () => {
    const s = await serve(true);
    expect(await s.call(7)).toMatchObject({ id: 7, result: { n: 1 } });
    const first = s.seen[0]!;
    expect(first.isClosed()).toBe(false);
    expect(await s.call(7)).toMatchObject({ id: 7, result: { n: 2 } });
    // Cut when the second POST went out, long before the grace would have ended it.
    await Promise.race([first.closed, delay(500)]);
    expect(first.isClosed()).toBe(true);
    expect(s.seen[1]!.isClosed()).toBe(false);
    expect(s.lost).toEqual([]);
  });
});

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
