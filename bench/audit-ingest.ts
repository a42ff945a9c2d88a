/**
 * Ingest: 4 writer processes (as 4 bridges would) each append request/response pairs through
 * the real segment writer as fast as they can; plus the caller-side cost of one `write()`.
 * Prints JSON.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openAuditSegment } from '../app/audit/segment-writer.js';
import { bundleWriter, runWriter } from '../app/audit/testing/bundle-writer.js';
import { sampleExchange } from '../app/audit/testing/sample-events.js';

const WRITERS = 4;
const EXCHANGES = Number(process.env.SB_BENCH_EXCHANGES ?? 50_000); // ×2 events each

async function main(): Promise<void> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sb-bench-ingest-'));
  try {
    const script = await bundleWriter(
      process.env.SB_BENCH_BUILD_DIR ?? dir,
      path.join(process.cwd(), 'app', 'audit', 'testing', 'write-events.ts'),
    );
    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: WRITERS }, (_, n) =>
        runWriter(script, [dir, `ses_${n}`, String(EXCHANGES), `prj_${n}`, `client-${n}`], 600_000),
      ),
    );
    const wallMs = performance.now() - started;
    const files = await fs.readdir(path.join(dir, 'audit'));
    let bytes = 0;
    for (const f of files) bytes += (await fs.stat(path.join(dir, 'audit', f))).size;
    const total = results.reduce((s, r) => s + r.written, 0);

    // The caller's cost: write() only buffers (the flush happens on a timer, off this path).
    const sink = openAuditSegment({
      dataDir: dir,
      projectId: 'prj_caller',
      sessionId: 'caller',
      maxBufferedEvents: 1_000_000,
      maxBufferedBytes: 1024 * 1024 * 1024,
    });
    const pairs = Array.from({ length: 1000 }, (_, i) =>
      sampleExchange(i, { projectId: 'prj_caller', client: 'c' }),
    );
    // Slices of 1000 writes with the flush in between, as a bridge interleaves them with I/O.
    const calls = 100_000;
    const sliceMicros: number[] = [];
    for (let slice = 0; slice < calls / 1000; slice++) {
      const t0 = performance.now();
      for (let i = 0; i < 500; i++) {
        const [a, b] = pairs[i]!;
        sink.write(a);
        sink.write(b);
      }
      sliceMicros.push(performance.now() - t0); // ms per 1000 writes = µs per write
      await sink.flush();
    }
    sliceMicros.sort((a, b) => a - b);
    const perWrite = {
      median: Math.round(sliceMicros[sliceMicros.length >> 1]! * 10) / 10,
      p95: Math.round(sliceMicros[Math.floor(sliceMicros.length * 0.95)]! * 10) / 10,
      min: Math.round(sliceMicros[0]! * 10) / 10,
    };
    await sink.close();

    console.log(
      JSON.stringify(
        {
          benchmark: 'audit-ingest',
          writers: WRITERS,
          eventsPerWriter: EXCHANGES * 2,
          totalEvents: total,
          dropped: results.reduce((s, r) => s + r.dropped, 0),
          wallMs: Math.round(wallMs),
          eventsPerSec: Math.round(total / (wallMs / 1000)),
          perWriterEventsPerSec: results.map((r) => Math.round(r.written / (r.ms / 1000))),
          segmentFiles: files.length,
          bytesOnDisk: bytes,
          bytesPerEvent: Math.round(bytes / total),
          callerWriteMicros: perWrite,
          cpus: os.cpus().length,
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
