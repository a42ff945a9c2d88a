/**
 * Write-to-UI latency of the live feed: from `sink.write()` in a writer (a bridge) to the
 * batched `audit.appended` push leaving main (writer flush → fs.watch → tail scan → 50 ms
 * batching), at a steady rate and in a burst; plus how many pushes per second windows get.
 * The renderer's own cost is one render per push (ring + version counter). Prints JSON.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startAuditFeed } from '../app/audit/audit-feed.js';
import { AuditStore } from '../app/audit/audit-store.js';
import { openAuditSegment } from '../app/audit/segment-writer.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Phase {
  name: string;
  ratePerSec: number;
  seconds: number;
}

const pct = (sorted: number[], p: number) =>
  sorted.length
    ? Math.round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]! * 10) / 10
    : null;

async function runPhase(dir: string, phase: Phase) {
  const store = new AuditStore(dir, { pollMs: 1000 });
  await store.ready();
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const pushTimes: number[] = [];
  let received = 0;
  const stop = startAuditFeed(
    store,
    (_event, rows) => {
      const now = performance.now();
      pushTimes.push(now);
      for (const r of rows) {
        const t = r.id !== undefined ? sentAt.get(r.id) : undefined;
        if (t !== undefined) latencies.push(now - t);
        received++;
      }
    },
    { retention: false },
  );
  await sleep(200); // the watch is armed
  const sink = openAuditSegment({ dataDir: dir, projectId: 'prj_live', sessionId: phase.name });
  const total = phase.ratePerSec * phase.seconds;
  const tick = 10; // ms between write slices
  const perTick = Math.max(1, Math.round((phase.ratePerSec * tick) / 1000));
  const start = performance.now();
  let n = 0;
  while (n < total) {
    for (let k = 0; k < perTick && n < total; k++, n++) {
      const id = `${phase.name}-${n}`;
      sentAt.set(id, performance.now());
      sink.write({
        projectId: 'prj_live',
        direction: 'client->server',
        kind: 'request',
        method: 'tools/call',
        target: 'echo',
        id,
        payload: { jsonrpc: '2.0', id: n, method: 'tools/call', params: { name: 'echo' } },
      });
    }
    const due = start + (n / phase.ratePerSec) * 1000;
    await sleep(Math.max(0, due - performance.now()));
  }
  await sink.close();
  for (let i = 0; i < 100 && received < total; i++) await sleep(50);
  stop();
  store.close();
  latencies.sort((a, b) => a - b);
  const span = (pushTimes[pushTimes.length - 1]! - pushTimes[0]!) / 1000;
  return {
    phase: phase.name,
    ratePerSec: phase.ratePerSec,
    events: total,
    received,
    latencyMs: {
      p50: pct(latencies, 0.5),
      p95: pct(latencies, 0.95),
      p99: pct(latencies, 0.99),
      max: pct(latencies, 1),
    },
    pushes: pushTimes.length,
    pushesPerSec: span > 0 ? Math.round((pushTimes.length / span) * 10) / 10 : null,
    eventsPerPush: Math.round((received / Math.max(1, pushTimes.length)) * 10) / 10,
  };
}

async function main(): Promise<void> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sb-bench-live-'));
  try {
    const phases: Phase[] = [
      { name: 'steady', ratePerSec: 50, seconds: 4 },
      { name: 'busy', ratePerSec: 500, seconds: 4 },
      { name: 'burst', ratePerSec: 5000, seconds: 2 },
    ];
    const results = [];
    for (const p of phases) results.push(await runPhase(dir, p));
    console.log(
      JSON.stringify(
        {
          benchmark: 'audit-live',
          path: 'sink.write → segment flush (25 ms) → fs.watch → tail scan → feed batch (50 ms) → emit',
          results,
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
