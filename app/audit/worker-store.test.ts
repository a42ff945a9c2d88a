import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SwitchboardError } from '../shared/errors.js';
import { auditWorkerScript } from '../testing/audit-worker-script.js';
import { makeTempHome, type TempHome } from '../testing/temp-home.js';
import { until } from '../testing/until.js';
import { AuditStore, type AuditRow, type IndexProgress } from './audit-store.js';
import { openAuditSegment } from './segment-writer.js';
import { sampleExchange } from './testing/sample-events.js';
import { AuditWorkerStore } from './worker-store.js';

let tmp: TempHome;
let script: string;
const open: { close(): void }[] = [];
beforeAll(async () => {
  script = await auditWorkerScript();
});
beforeEach(async () => {
  tmp = await makeTempHome('sb-audit-worker-');
});
afterEach(async () => {
  open.splice(0).forEach((s) => s.close());
  await tmp.cleanup();
});

/** `sessions` segments of `pairs` calls each, as bridges write them. */
async function seed(sessions: number, pairs: number): Promise<void> {
  for (let s = 0; s < sessions; s++) {
    const seg = openAuditSegment({
      dataDir: tmp.dataDir,
      projectId: s % 2 ? 'prj_b' : 'prj_a',
      projectName: s % 2 ? 'beta' : 'acme',
      sessionId: `s${s}`,
      maxBufferedEvents: 100_000,
    });
    for (let i = 0; i < pairs; i++) {
      for (const e of sampleExchange(i, {
        projectId: s % 2 ? 'prj_b' : 'prj_a',
        client: s % 3 ? 'Cursor' : 'Claude Desktop',
      })) {
        seg.write({ ...e, sessionId: `s${s}` });
      }
    }
    await seg.close();
  }
}

function both(opts: { onProgress?: (p: IndexProgress) => void } = {}) {
  const inline = new AuditStore(tmp.dataDir);
  const worker = new AuditWorkerStore(tmp.dataDir, { script, pollMs: 50, ...opts });
  open.push(inline, worker);
  return { inline, worker };
}

async function collect(scan: AsyncIterable<AuditRow[]>): Promise<AuditRow[]> {
  const out: AuditRow[] = [];
  for await (const rows of scan) out.push(...rows);
  return out;
}

describe('audit store in a worker thread', () => {
  it('answers every query exactly as the in-process store does', async () => {
    await seed(4, 300);
    const { inline, worker } = both();
    const now = Date.now();
    for (const filter of [
      {},
      { project: 'beta' },
      { status: 'error' as const },
      { text: 'number 7' },
    ]) {
      const [a, b] = await Promise.all([
        inline.query(filter, { limit: 50 }),
        worker.query(filter, { limit: 50 }),
      ]);
      expect(b).toEqual(a);
      if (a.nextCursor) {
        expect(await worker.query(filter, { limit: 50, cursor: a.nextCursor })).toEqual(
          await inline.query(filter, { limit: 50, cursor: a.nextCursor }),
        );
      }
    }
    expect(await worker.sessions()).toEqual(await inline.sessions());
    expect(await worker.activity({ range: '1h', now })).toEqual(
      await inline.activity({ range: '1h', now }),
    );
    expect(await worker.sparklines(now)).toEqual(await inline.sparklines(now));
    const ref = (await inline.query({ status: 'error' }, { limit: 1 })).events[0]!.ref;
    expect(await worker.pair(ref)).toEqual(await inline.pair(ref));
    expect(await worker.get(ref)).toEqual(await inline.get(ref));
    expect(await collect(worker.scan({ project: 'acme' }))).toEqual(
      await collect(inline.scan({ project: 'acme' })),
    );
    const [outA, outB] = [new PassThrough(), new PassThrough()];
    const chunks: string[][] = [[], []];
    outA.on('data', (d: Buffer) => chunks[0]!.push(d.toString()));
    outB.on('data', (d: Buffer) => chunks[1]!.push(d.toString()));
    expect(await worker.export({}, 'csv', outB)).toBe(await inline.export({}, 'csv', outA));
    expect(chunks[1]!.join('')).toBe(chunks[0]!.join(''));
    expect(worker.stats()).toEqual(inline.stats());
  });

  it('keeps error codes across the thread boundary', async () => {
    await seed(1, 5);
    const { worker } = both();
    const error = await worker.query({}, { cursor: 'not-a-cursor' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SwitchboardError);
    expect(error).toMatchObject({
      code: 'VALIDATION',
      message: 'The page cursor is not one this store produced. Start again without a cursor.',
    });
    expect(await worker.get('nope@1').catch((e: SwitchboardError) => e.code)).toBe('NOT_FOUND');
  });

  it('reports build progress from 0 to 100 % and says when it is ready', async () => {
    await seed(6, 400);
    const seen: IndexProgress[] = [];
    const { worker } = both({ onProgress: (p) => seen.push(p) });
    expect(worker.progress()).toMatchObject({ ready: false });
    await worker.ready();
    // The final report arrives right after the answer to ready().
    const end = Date.now() + 5_000;
    while (!seen.at(-1)?.ready && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    expect(seen[0]).toMatchObject({ ready: false, indexedBytes: 0, percent: 0 });
    expect(seen[0]!.totalBytes).toBeGreaterThan(0);
    expect(seen.at(-1)).toMatchObject({ ready: true, percent: 100 });
    expect(seen.at(-1)!.indexedBytes).toBe(seen[0]!.totalBytes);
    for (let i = 1; i < seen.length; i++) {
      expect(seen[i]!.percent).toBeGreaterThanOrEqual(seen[i - 1]!.percent);
    }
    expect(worker.progress()).toMatchObject({ ready: true, percent: 100 });
  });

  it('tails new events to subscribers from the worker', async () => {
    await seed(1, 2);
    const { worker } = both();
    await worker.ready();
    const got: AuditRow[] = [];
    const stop = worker.subscribe((rows) => got.push(...rows));
    try {
      const seg = openAuditSegment({ dataDir: tmp.dataDir, projectId: 'prj_c', sessionId: 'live' });
      for (const e of sampleExchange(1, { projectId: 'prj_c', client: 'Zed' })) seg.write(e);
      await seg.close();
      const end = Date.now() + 5_000;
      while (got.length < 2 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
      expect(got.map((r) => [r.projectId, r.kind])).toEqual([
        ['prj_c', 'request'],
        ['prj_c', 'response'],
      ]);
    } finally {
      stop();
    }
  });

  it('answers in this thread, completely, when the worker cannot start', async () => {
    await seed(2, 50);
    const inline = new AuditStore(tmp.dataDir);
    const broken = new AuditWorkerStore(tmp.dataDir, {
      script: path.join(tmp.home, 'no-such-audit-worker.mjs'),
      pollMs: 50,
    });
    open.push(inline, broken);
    const got: AuditRow[] = [];
    const stop = broken.subscribe((rows) => got.push(...rows));
    try {
      // Asked before the worker's failure is known: answered all the same.
      expect(await broken.query({}, { limit: 20 })).toEqual(await inline.query({}, { limit: 20 }));
      expect(broken.fallbackReason).toMatch(/no-such-audit-worker|Cannot find|stopped/);
      expect(await broken.sessions()).toEqual(await inline.sessions());
      expect(await collect(broken.scan({ project: 'beta' }))).toEqual(
        await collect(inline.scan({ project: 'beta' })),
      );
      expect(broken.progress()).toMatchObject({ ready: true, percent: 100 });
      expect(broken.stats()).toEqual(inline.stats());
      const seg = openAuditSegment({ dataDir: tmp.dataDir, projectId: 'prj_c', sessionId: 'late' });
      for (const e of sampleExchange(1, { projectId: 'prj_c', client: 'Zed' })) seg.write(e);
      await seg.close();
      await until(() => got.length === 2);
    } finally {
      stop();
    }
  });

  it('rejects calls clearly once closed', async () => {
    const { worker } = both();
    worker.close();
    await expect(worker.query()).rejects.toThrow('The audit store was closed.');
  });
});
