/**
 * Query latency over 1 M stored events (written through the real segment writer: 250 sessions,
 * 5 projects, 4 clients, 7 days), index build time and index memory. Prints JSON.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { AuditFilter } from '../app/audit/audit-filter.js';
import { AuditStore } from '../app/audit/audit-store.js';
import { generate } from './audit-seed.js';

const EVENTS = Number(process.env.SB_BENCH_EVENTS ?? 1_000_000);

const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const mb = (n: number) => Math.round((n / 1024 / 1024) * 10) / 10;

async function time<T>(
  fn: () => Promise<T>,
  runs = 5,
): Promise<{ medianMs: number; maxMs: number; result: T }> {
  const times: number[] = [];
  let result!: T;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    result = await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const r = (n: number) => Math.round(n * 10) / 10;
  return {
    medianMs: r(times[Math.floor(times.length / 2)]!),
    maxMs: r(times[times.length - 1]!),
    result,
  };
}

async function main(): Promise<void> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sb-bench-query-'));
  try {
    const now = Date.now();
    const g0 = performance.now();
    const written = await generate(dir, now, EVENTS);
    const generateMs = performance.now() - g0;
    let bytes = 0;
    for (const f of await fs.readdir(path.join(dir, 'audit'))) {
      bytes += (await fs.stat(path.join(dir, 'audit', f))).size;
    }

    gc();
    // Typed-array columns live outside the JS heap: count ArrayBuffers too.
    const mem = () => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
    const heapBefore = mem();
    const rssBefore = process.memoryUsage().rss;
    const store = new AuditStore(dir);
    const b0 = performance.now();
    await store.ready();
    const buildMs = performance.now() - b0;
    gc();
    const heapAfter = mem();
    const stats = store.stats();

    const q =
      (filter: AuditFilter, limit = 100) =>
      async () => {
        const page = await store.query(filter, { limit });
        return page.events.length;
      };
    const queries: Record<string, { filter: AuditFilter; limit?: number }> = {
      'broad: newest 100 of everything': { filter: {} },
      'broad: status ok, last 24h': { filter: { preset: '24h', status: 'ok' } },
      'broad: tools/* prefix, 7d': { filter: { preset: '7d', method: 'tools/*' }, limit: 500 },
      'selective: a tool called 1 in 10 000 (scans all 1M)': { filter: { tool: 'rare-tool' } },
      'selective: project + client + errors, 7d': {
        filter: { project: 'project-3', client: 'codex', status: 'error', preset: '7d' },
      },
      'selective: one session': { filter: { session: 'ses_123' } },
      'text: a word in every event, newest 100': { filter: { text: 'hello number' } },
      'text: absent needle, last 1 h': { filter: { text: 'no-such-needle', since: '1h' } },
    };
    const results: Record<string, unknown> = {};
    for (const [name, { filter, limit }] of Object.entries(queries)) {
      const r = await time(q(filter, limit));
      results[name] = { medianMs: r.medianMs, maxMs: r.maxMs, matched: r.result };
    }
    // Deep pagination: 20 pages of 500 through a broad filter.
    const pages = await time(async () => {
      let cursor: string | undefined;
      let n = 0;
      for (let i = 0; i < 20; i++) {
        const page = await store.query({ status: 'ok' }, { limit: 500, cursor });
        n += page.events.length;
        cursor = page.nextCursor;
      }
      return n;
    }, 3);
    // Worst case: a text nobody wrote, over everything (every line is read from disk).
    const fullText = await time(q({ text: 'no-such-needle' }), 1);
    results['text: absent needle over all events (worst case)'] = {
      medianMs: fullText.medianMs,
      matched: fullText.result,
    };
    const sessions = await time(() => store.sessions(), 3);
    const sink = new Writable({ write: (_c, _e, done) => done() });
    const exp = await time(() => store.export({ preset: '24h' }, 'csv', sink), 1);

    console.log(
      JSON.stringify(
        {
          benchmark: 'audit-query',
          events: stats.events,
          written,
          segments: stats.segments,
          bytesOnDisk: bytes,
          generateMs: Math.round(generateMs),
          indexBuildMs: Math.round(buildMs),
          indexBuildEventsPerSec: Math.round(stats.events / (buildMs / 1000)),
          indexColumnsMB: mb(stats.indexBytes),
          indexHeapAndBuffersDeltaMB: mb(heapAfter - heapBefore),
          bytesPerEventInMemory: Math.round((heapAfter - heapBefore) / stats.events),
          rssDeltaMB: mb(process.memoryUsage().rss - rssBefore),
          queries: results,
          'paginate 20 × 500 (status ok)': { medianMs: pages.medianMs, events: pages.result },
          sessionsTreeMs: sessions.medianMs,
          'export 24h as CSV': {
            ms: exp.medianMs,
            events: exp.result,
            eventsPerSec: Math.round(exp.result / (exp.medianMs / 1000)),
          },
          loadAverage: os.loadavg().map((l) => Math.round(l * 10) / 10),
        },
        null,
        2,
      ),
    );
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

void main();
