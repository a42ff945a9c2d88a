import fsSync from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { makeTempHome, type TempHome } from '../testing/temp-home';
import { AuditEventSchema, type AuditWriteInput } from './audit-event';
import type { AuditFilter } from './audit-filter';
import { AuditStore, type AuditRow } from './audit-store';
import { CSV_COLUMNS } from './audit-export';
import { auditDir } from './segment-files';
import { OPTIONAL_FIELDS, openAuditSegment } from './segment-writer';
import { bundleWriter, runWriter } from './testing/bundle-writer';

let tmp: TempHome;
beforeEach(async () => {
  tmp = await makeTempHome('sb-audit-');
});
afterEach(async () => {
  await tmp.cleanup();
});

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function ev(over: Partial<AuditWriteInput> & { ts: string }): AuditWriteInput {
  return { projectId: 'prj_a', direction: 'client->server', kind: 'request', ...over };
}

/** Two sessions of two projects, clients and tools, spread over the last 10 days. */
async function seed(): Promise<{ store: AuditStore; now: number }> {
  const now = Date.now();
  const at = (ago: number) => new Date(now - ago).toISOString();
  const s1 = openAuditSegment({
    dataDir: tmp.dataDir,
    projectId: 'prj_a',
    projectName: 'acme-prod',
    sessionId: 'ses_1',
  });
  const claude = { name: 'claude-code', version: '2.0' };
  s1.write(ev({ ts: at(9 * DAY), kind: 'session-start', direction: 'bridge', client: claude }));
  s1.write(ev({ ts: at(5 * DAY), method: 'tools/list', id: '1', client: claude }));
  s1.write(
    ev({
      ts: at(5 * DAY - 10),
      method: 'tools/list',
      id: '1',
      kind: 'response',
      direction: 'server->client',
      status: 'ok',
      client: claude,
    }),
  );
  s1.write(ev({ ts: at(30 * HOUR), method: 'tools/call', target: 'search', id: '2' }));
  s1.write(
    ev({
      ts: at(30 * HOUR - 5),
      method: 'tools/call',
      target: 'search',
      id: '2',
      kind: 'error',
      direction: 'server->client',
      status: 'error',
      errorCode: -32603,
      errorMessage: 'index unavailable',
    }),
  );
  await s1.close();
  const s2 = openAuditSegment({
    dataDir: tmp.dataDir,
    projectId: 'prj_b',
    projectName: 'local-dev',
    sessionId: 'ses_2',
  });
  const cursor = { name: 'Cursor', version: '1.7' };
  s2.write(
    ev({ projectId: 'prj_b', ts: at(2 * HOUR), method: 'initialize', id: '0', client: cursor }),
  );
  s2.write(
    ev({
      projectId: 'prj_b',
      ts: at(30 * 60_000),
      method: 'tools/call',
      target: 'echo',
      id: '7',
      client: cursor,
      payload: { params: { name: 'echo', arguments: { message: 'needle-in-haystack' } } },
    }),
  );
  s2.write(
    ev({
      projectId: 'prj_b',
      ts: at(30 * 60_000 - 4),
      method: 'tools/call',
      target: 'echo',
      id: '7',
      kind: 'response',
      direction: 'server->client',
      status: 'ok',
      durationMs: 4,
      client: cursor,
      payload: { result: { content: [{ type: 'text', text: 'Echo: needle-in-haystack' }] } },
    }),
  );
  s2.write(
    ev({
      projectId: 'prj_b',
      ts: at(60_000),
      method: 'notifications/progress',
      kind: 'notification',
    }),
  );
  await s2.close();
  return { store: new AuditStore(tmp.dataDir), now };
}

const methods = (rows: AuditRow[]) => rows.map((r) => `${r.method ?? r.kind}:${r.kind}`);

describe('segment writer', () => {
  test('copies exactly the optional fields of the event schema', () => {
    const required = ['v', 'ts', 'seq', 'projectId', 'direction', 'kind'];
    const optional = Object.keys(AuditEventSchema.shape).filter((k) => !required.includes(k));
    expect([...OPTIONAL_FIELDS]).toEqual(optional);
  });

  test('writes schema-valid JSON Lines, one private file per session, seq increasing', async () => {
    const sink = openAuditSegment({ dataDir: tmp.dataDir, projectId: 'prj_a', sessionId: 's1' });
    for (let i = 0; i < 5; i++)
      sink.write({ projectId: 'prj_a', direction: 'bridge', kind: 'connect' });
    await sink.close();
    const files = await fs.readdir(auditDir(tmp.dataDir));
    expect(files).toHaveLength(1);
    expect(path.join(auditDir(tmp.dataDir), files[0]!)).toBe(sink.file);
    expect((await fs.stat(sink.file)).mode & 0o777).toBe(0o600);
    const lines = (await fs.readFile(sink.file, 'utf8')).trimEnd().split('\n');
    const events = lines.map((l) => AuditEventSchema.parse(JSON.parse(l)));
    expect(events.map((e) => e.seq)).toEqual([0, 1, 2, 3, 4]);
    expect(events.every((e) => e.sessionId === 's1')).toBe(true);
  });

  test('a full buffer drops events, counts them and records the drop in the file', async () => {
    const sink = openAuditSegment({
      dataDir: tmp.dataDir,
      projectId: 'prj_a',
      sessionId: 's1',
      maxBufferedEvents: 10,
    });
    // All 25 writes happen before the first flush can run: 15 must be dropped, not lost silently.
    for (let i = 0; i < 25; i++)
      sink.write({ projectId: 'prj_a', direction: 'bridge', kind: 'connect' });
    await sink.close();
    expect(sink.stats()).toMatchObject({ written: 10, dropped: 15, buffered: 0 });
    const store = new AuditStore(tmp.dataDir);
    const page = await store.query({}, { limit: 100 });
    const drop = page.events.find((e) => e.kind === 'dropped');
    expect(drop?.detail).toMatchObject({ count: 15, reason: 'buffer-full' });
    expect(page.events).toHaveLength(11);
  });

  test('events written while close() flushes go into the segment, never into a file opened after', async () => {
    // One close per depth: a write that arrives 0–9 microtask hops after close() began, then an
    // unrelated file opened once the close finished (it can get the segment's old fd number).
    for (let depth = 0; depth < 10; depth++) {
      const sink = openAuditSegment({
        dataDir: tmp.dataDir,
        projectId: 'prj_a',
        sessionId: `late-${depth}`,
      });
      sink.write({ projectId: 'prj_a', direction: 'bridge', kind: 'connect', method: 'first' });
      await sink.flush();
      const closing = sink.close();
      const late = () =>
        sink.write({ projectId: 'prj_a', direction: 'bridge', kind: 'connect', method: 'late' });
      let hop: Promise<void> = Promise.resolve();
      for (let i = 0; i < depth; i++) hop = hop.then(() => undefined);
      void hop.then(late);
      await closing;
      const other = path.join(tmp.home, `unrelated-${depth}.txt`);
      const fd = fsSync.openSync(other, 'w');
      await new Promise((r) => setTimeout(r, 60)); // past the 25 ms flush interval
      fsSync.closeSync(fd);
      expect(fsSync.readFileSync(other, 'utf8'), `depth ${depth}`).toBe('');
      const methods = (await fs.readFile(sink.file, 'utf8'))
        .trimEnd()
        .split('\n')
        .map((l) => (JSON.parse(l) as { method?: string }).method);
      // Taken (and written) while the close was still flushing, or refused once it was closed.
      expect(methods[0]).toBe('first');
      expect(methods.slice(1).every((m) => m === 'late')).toBe(true);
      expect(sink.stats().written).toBe(methods.length);
    }
  });

  test('write never throws, even for an unserialisable payload, and ignores writes after close', async () => {
    const sink = openAuditSegment({ dataDir: tmp.dataDir, projectId: 'prj_a', sessionId: 's1' });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() =>
      sink.write({ projectId: 'prj_a', direction: 'bridge', kind: 'connect', payload: cyclic }),
    ).not.toThrow();
    await sink.close();
    sink.write({ projectId: 'prj_a', direction: 'bridge', kind: 'connect' });
    const lines = (await fs.readFile(sink.file, 'utf8')).trimEnd().split('\n');
    expect(lines).toHaveLength(1);
  });

  test('previews are truncated to 2 KB by default and kept whole when the project opts in', async () => {
    const big = { result: { text: 'x '.repeat(5000) } };
    const a = openAuditSegment({ dataDir: tmp.dataDir, projectId: 'p', sessionId: 'short' });
    a.write({ projectId: 'p', direction: 'server->client', kind: 'response', payload: big });
    await a.close();
    const b = openAuditSegment({
      dataDir: tmp.dataDir,
      projectId: 'p',
      sessionId: 'full',
      fullPayloads: true,
    });
    b.write({ projectId: 'p', direction: 'server->client', kind: 'response', payload: big });
    await b.close();
    const short = JSON.parse(await fs.readFile(a.file, 'utf8')) as AuditRow;
    const full = JSON.parse(await fs.readFile(b.file, 'utf8')) as AuditRow;
    expect(Buffer.byteLength(short.preview!)).toBeLessThanOrEqual(2048);
    expect(short.truncated).toBe(true);
    expect(short.bytes).toBe(JSON.stringify(big).length);
    expect(JSON.parse(full.preview!)).toEqual(big);
    expect(full.truncated).toBeUndefined();
  });
});

describe('audit store', () => {
  test('concurrent writers in separate processes lose nothing and never share a file', async () => {
    const script = await bundleWriter(tmp.home);
    const results = await Promise.all(
      [1, 2, 3, 4].map((n) =>
        runWriter(script, [tmp.dataDir, `ses_${n}`, '400', `prj_${n}`, `client-${n}`]),
      ),
    );
    expect(results.map((r) => [r.written, r.dropped])).toEqual(Array(4).fill([800, 0]));
    expect(await fs.readdir(auditDir(tmp.dataDir))).toHaveLength(4);
    const store = new AuditStore(tmp.dataDir);
    await store.ready();
    expect(store.stats()).toMatchObject({ events: 3200, segments: 4, badLines: 0 });
    for (const n of [1, 2, 3, 4]) {
      let total = 0;
      for await (const rows of store.scan({ session: `ses_${n}` })) {
        total += rows.length;
        expect(rows.every((r) => r.client?.name === `client-${n}`)).toBe(true);
      }
      expect(total).toBe(800);
    }
  });

  test('a torn last line is skipped until completed; a garbage line never stops the scan', async () => {
    const dir = auditDir(tmp.dataDir);
    await fs.mkdir(dir, { recursive: true });
    const file = path.join(dir, '2026-01-01T00-00-00-000Z_prj_a_s1.jsonl');
    const line = (seq: number) =>
      JSON.stringify({
        v: 1,
        ts: new Date(Date.now() - 1000 + seq).toISOString(),
        seq,
        projectId: 'prj_a',
        sessionId: 's1',
        direction: 'bridge',
        kind: 'connect',
      });
    const torn = line(3);
    await fs.writeFile(file, `${line(0)}\n{not json\n${line(1)}\n${line(2)}\n${torn.slice(0, 20)}`);
    const store = new AuditStore(tmp.dataDir);
    const first = await store.query();
    expect(first.events.map((e) => e.seq)).toEqual([2, 1, 0]);
    expect(store.stats().badLines).toBe(1);
    // The writer finishes the line (a crash would not): it is picked up on the next scan.
    await fs.appendFile(file, `${torn.slice(20)}\n`);
    await store.refresh();
    expect((await store.query()).events.map((e) => e.seq)).toEqual([3, 2, 1, 0]);
  });

  test('a segment larger than one read chunk is indexed whole, at the right offsets', async () => {
    const sink = openAuditSegment({ dataDir: tmp.dataDir, projectId: 'p', sessionId: 'big' });
    for (let i = 0; i < 4000; i++) {
      sink.write({
        projectId: 'p',
        direction: 'server->client',
        kind: 'response',
        id: String(i),
        payload: { result: { text: `row ${i} `.padEnd(600, '.') } },
      });
    }
    await sink.close();
    expect((await fs.stat(sink.file)).size).toBeGreaterThan(2.5 * 1024 * 1024);
    const store = new AuditStore(tmp.dataDir);
    await store.ready();
    expect(store.stats()).toMatchObject({ events: 4000, badLines: 0 });
    const ids: string[] = [];
    for await (const rows of store.scan()) ids.push(...rows.map((r) => r.id!));
    expect(ids).toEqual(Array.from({ length: 4000 }, (_, i) => String(i)));
    expect((await store.get((await store.query({ text: 'row 2999 ' })).events[0]!.ref)).id).toBe(
      '2999',
    );
  });

  test('retention removes segments by age, then the oldest by total size, and forgets them', async () => {
    const dir = auditDir(tmp.dataDir);
    const mk = async (name: string, ageDays: number, bytes: number) => {
      const sink = openAuditSegment({ dataDir: tmp.dataDir, projectId: 'p', sessionId: name });
      sink.write({
        projectId: 'p',
        direction: 'bridge',
        kind: 'connect',
        detail: { pad: 'ab '.repeat(bytes / 3) },
      });
      await sink.close();
      const t = new Date(Date.now() - ageDays * DAY);
      await fs.utimes(sink.file, t, t);
      return path.basename(sink.file);
    };
    const ancient = await mk('ancient', 40, 100);
    const old = await mk('old', 10, 5000);
    const mid = await mk('mid', 5, 5000);
    const fresh = await mk('fresh', 0, 5000); // live: inside the grace period
    const store = new AuditStore(tmp.dataDir);
    await store.ready();
    expect(store.stats().events).toBe(4);
    const result = await store.retain({ maxAgeDays: 30, maxTotalBytes: 11_000 });
    expect(result.deleted.sort()).toEqual([ancient, old].sort());
    expect((await fs.readdir(dir)).sort()).toEqual([fresh, mid].sort());
    expect(store.stats().events).toBe(2);
    const left = await store.query();
    expect(left.events.map((e) => e.sessionId).sort()).toEqual(['fresh', 'mid']);
    // Size alone, with a tiny budget: the live segment survives.
    const again = await store.retain({ maxTotalBytes: 1 });
    expect(again.deleted).toEqual([mid]);
    expect(await fs.readdir(dir)).toEqual([fresh]);
  });

  test('every filter narrows the selection', async () => {
    const { store } = await seed();
    const q = async (f: AuditFilter) => methods((await store.query(f)).events);
    expect(await q({})).toHaveLength(9);
    expect(await q({ project: 'prj_b' })).toHaveLength(4);
    expect(await q({ project: 'ACME-prod' })).toHaveLength(5);
    expect(await q({ client: 'cursor' })).toHaveLength(4); // session-level client counts too
    expect(await q({ client: 'claude-code' })).toHaveLength(5);
    expect(await q({ session: 'ses_1' })).toHaveLength(5);
    expect(await q({ method: 'tools/list' })).toEqual([
      'tools/list:response',
      'tools/list:request',
    ]);
    expect(await q({ method: 'notifications/*' })).toEqual(['notifications/progress:notification']);
    expect(await q({ tool: 'search' })).toEqual(['tools/call:error', 'tools/call:request']);
    expect(await q({ status: 'error' })).toEqual(['tools/call:error']);
    expect(await q({ status: 'ok' })).toEqual(['tools/call:response', 'tools/list:response']);
    expect(await q({ text: 'NEEDLE-in' })).toEqual(['tools/call:response', 'tools/call:request']);
    expect(await q({ text: 'index unavailable' })).toEqual(['tools/call:error']);
    expect(await q({ project: 'prj_b', tool: 'echo', status: 'ok' })).toEqual([
      'tools/call:response',
    ]);
  });

  test('presets and time ranges', async () => {
    const { store, now } = await seed();
    const count = async (f: AuditFilter) => (await store.query(f)).events.length;
    expect(await count({ preset: 'all' })).toBe(9);
    expect(await count({ preset: '1h' })).toBe(3);
    expect(await count({ preset: '24h' })).toBe(4);
    expect(await count({ preset: '7d' })).toBe(8);
    const midnight = new Date(now);
    midnight.setHours(0, 0, 0, 0);
    const rows = (await store.query({})).events;
    const expectedToday = rows.filter((r) => Date.parse(r.ts) >= midnight.getTime()).length;
    expect(await count({ preset: 'today' })).toBe(expectedToday);
    expect(await count({ since: '90m' })).toBe(3);
    expect(await count({ since: new Date(now - 3 * HOUR).toISOString() })).toBe(4);
    expect(
      await count({
        since: new Date(now - 6 * DAY).toISOString(),
        until: new Date(now - DAY).toISOString(),
      }),
    ).toBe(4);
    await expect(store.query({ since: 'yesterday-ish' })).rejects.toThrow(/Use 1h, 24h, 7d, today/);
  });

  test('cursor pagination walks every event once, newest first', async () => {
    const { store } = await seed();
    const all = (await store.query({}, { limit: 100 })).events.map((e) => e.ref);
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 10; i++) {
      const page = await store.query({}, { limit: 2, cursor });
      seen.push(...page.events.map((e) => e.ref));
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    expect(seen).toEqual(all);
    // Also with a text filter, whose reads run in batches.
    const textPages: string[] = [];
    cursor = undefined;
    for (let i = 0; i < 10; i++) {
      const page = await store.query({ text: 'tools/' }, { limit: 1, cursor });
      textPages.push(...page.events.map((e) => e.ref));
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    expect(textPages).toHaveLength(6);
    expect(new Set(textPages).size).toBe(6);
    await expect(store.query({}, { cursor: 'bogus' })).rejects.toThrow(/cursor/);
  });

  test('pairs a request with its response and the other way round', async () => {
    const { store } = await seed();
    const [req] = (await store.query({ tool: 'echo', method: 'tools/call' })).events.filter(
      (e) => e.kind === 'request',
    );
    const pair = await store.pair(req!.ref);
    expect(pair.request?.ref).toBe(req!.ref);
    expect(pair.response).toMatchObject({ kind: 'response', id: '7', durationMs: 4 });
    const back = await store.pair(pair.response!.ref);
    expect(back.request?.ref).toBe(req!.ref);
    await expect(store.pair('nope@0')).rejects.toThrow(/No audit event/);
  });

  test('sessions tree groups project → client → session', async () => {
    const { store } = await seed();
    const tree = await store.sessions();
    expect(tree).toMatchObject([
      {
        projectId: 'prj_a',
        projectName: 'acme-prod',
        clients: [
          { client: 'claude-code', sessions: [{ sessionId: 'ses_1', events: 5, errors: 1 }] },
        ],
      },
      {
        projectId: 'prj_b',
        projectName: 'local-dev',
        clients: [{ client: 'Cursor', sessions: [{ sessionId: 'ses_2', events: 4, errors: 0 }] }],
      },
    ]);
  });

  test('exports the selection as JSON Lines and CSV', async () => {
    const { store } = await seed();
    const collect = async (format: 'jsonl' | 'csv', filter: AuditFilter) => {
      const out = new PassThrough();
      let text = '';
      out.on('data', (d: Buffer) => (text += d.toString()));
      const n = await store.export(filter, format, out);
      return { n, text };
    };
    const jsonl = await collect('jsonl', { project: 'prj_b' });
    expect(jsonl.n).toBe(4);
    const parsed = jsonl.text
      .trimEnd()
      .split('\n')
      .map((l) => AuditEventSchema.parse(JSON.parse(l)));
    expect(parsed.map((e) => e.method)).toEqual([
      'initialize',
      'tools/call',
      'tools/call',
      'notifications/progress',
    ]); // oldest first
    const csv = await collect('csv', { status: 'error' });
    expect(csv.n).toBe(1);
    const lines = csv.text.trimEnd().split('\r\n');
    expect(lines[0]).toBe(CSV_COLUMNS.join(','));
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(',acme-prod,prj_a,ses_1,');
    expect(lines[1]).toContain(",'-32603,index unavailable,");
    const file = path.join(tmp.home, 'out', 'audit.csv');
    expect(await store.exportToFile({}, 'csv', file)).toBe(9);
    expect((await fs.readFile(file, 'utf8')).split('\r\n')).toHaveLength(11);
  });

  test('tails appended events to subscribers in order', async () => {
    const store = new AuditStore(tmp.dataDir, { pollMs: 100 });
    await store.ready();
    const got: AuditRow[] = [];
    const off = store.subscribe((rows) => got.push(...rows));
    const sink = openAuditSegment({ dataDir: tmp.dataDir, projectId: 'p', sessionId: 'live' });
    for (let i = 0; i < 50; i++)
      sink.write({ projectId: 'p', direction: 'bridge', kind: 'connect', id: String(i) });
    await sink.flush();
    for (let i = 0; i < 100 && got.length < 50; i++) await new Promise((r) => setTimeout(r, 50));
    off();
    await sink.close();
    expect(got.map((e) => e.id)).toEqual(Array.from({ length: 50 }, (_, i) => String(i)));
    expect(got[0]!.ref).toMatch(/_p_live\.jsonl@0$/);
  });
});

describe('redaction', () => {
  test('a token planted in headers, params and results is nowhere in the store or exports', async () => {
    const TOKEN = 'sbx_live_Q7f3kZp9LmN2vR8tW4yB6cD1';
    const SECRET_HEADER_VALUE = 'hv-7d1e0a9c';
    const sink = openAuditSegment({
      dataDir: tmp.dataDir,
      projectId: 'prj_a',
      sessionId: 'leak',
      secrets: [TOKEN, SECRET_HEADER_VALUE],
      secretHeaders: ['X-Tenant-Key'],
    });
    sink.write({
      projectId: 'prj_a',
      direction: 'client->server',
      kind: 'request',
      method: 'tools/call',
      id: '1',
      target: `https://x.test/r?token=${TOKEN}`,
      payload: {
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: {
          name: 'fetch',
          arguments: {
            headers: { Authorization: `Bearer ${TOKEN}`, 'x-tenant-key': SECRET_HEADER_VALUE },
            note: `please use ${TOKEN} here`,
          },
        },
      },
    });
    sink.write({
      projectId: 'prj_a',
      direction: 'server->client',
      kind: 'response',
      status: 'ok',
      id: '1',
      payload: {
        jsonrpc: '2.0',
        id: 1,
        result: { content: [{ type: 'text', text: TOKEN }], tok: TOKEN },
      },
    });
    sink.write({
      projectId: 'prj_a',
      direction: 'server->client',
      kind: 'error',
      status: 'error',
      errorMessage: `upstream rejected Bearer ${TOKEN}`,
      detail: { header: `Authorization: Bearer ${TOKEN}` },
    });
    // …and as a JSON-RPC id chosen by the peer.
    sink.write({
      projectId: 'prj_a',
      direction: 'server->client',
      kind: 'request',
      method: 'sampling/createMessage',
      id: TOKEN,
      payload: { jsonrpc: '2.0', id: TOKEN, method: 'sampling/createMessage' },
    });
    // A token the writer was not told about is still caught by its shape.
    const UNKNOWN = 'ghp_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8';
    sink.write({
      projectId: 'prj_a',
      direction: 'server->client',
      kind: 'response',
      payload: { result: { leaked: UNKNOWN } },
    });
    await sink.close();

    const store = new AuditStore(tmp.dataDir);
    const stored = await fs.readFile(sink.file, 'utf8');
    const outs: string[] = [stored];
    for (const format of ['jsonl', 'csv'] as const) {
      const file = path.join(tmp.home, `export.${format}`);
      expect(await store.exportToFile({}, format, file)).toBe(5);
      outs.push(await fs.readFile(file, 'utf8'));
    }
    outs.push(JSON.stringify((await store.query()).events));
    for (const text of outs) {
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(TOKEN.slice(10));
      expect(text).not.toContain(SECRET_HEADER_VALUE);
      expect(text).not.toContain(UNKNOWN.slice(4));
      expect(text).toContain('[REDACTED]');
    }
    // Redaction keeps the rest of the message readable.
    expect(stored).toContain('please use [REDACTED] here');
  });
});

describe('lifecycle events', () => {
  test('the app and CLI record lifecycle events in their own small segment', async () => {
    const { recordLifecycleEvent, closeLifecycleSegments } = await import('./segment-writer');
    await recordLifecycleEvent(tmp.dataDir, {
      projectId: 'prj_a',
      direction: 'bridge',
      kind: 'token-rotated',
      tokenFingerprint: 'sha256:abcd1234',
      detail: { name: 'default' },
    });
    await recordLifecycleEvent(tmp.dataDir, {
      projectId: 'prj_a',
      direction: 'bridge',
      kind: 'config-installed',
      detail: { client: 'cursor', path: '/home/x/.cursor/mcp.json' },
    });
    await closeLifecycleSegments();
    const files = await fs.readdir(auditDir(tmp.dataDir));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(new RegExp(`_cli-${process.pid}-[0-9a-f]{6}\\.jsonl$`));
    const store = new AuditStore(tmp.dataDir);
    const rows = (await store.query({ project: 'prj_a' })).events;
    expect(rows.map((r) => r.kind)).toEqual(['config-installed', 'token-rotated']);
    expect(rows.every((r) => r.sessionId === undefined)).toBe(true);
    // Not a bridge session: no entry in the sessions tree.
    expect(await store.sessions()).toEqual([]);
  });
});
