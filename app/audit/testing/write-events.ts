/**
 * A separate writer process for tests and benchmarks: `node write-events.mjs <dataDir>
 * <sessionId> <count> [projectId] [client]` writes `count` request/response pairs through a real
 * `openAuditSegment`, then prints `{"written":…,"dropped":…,"ms":…}` on stdout.
 */
import { openAuditSegment } from '../segment-writer.js';
import { sampleExchange } from './sample-events.js';

async function main(): Promise<void> {
  const [dataDir, sessionId, countText, projectId = 'prj_bench', client = 'bench-client'] =
    process.argv.slice(2);
  if (!dataDir || !sessionId || !countText) {
    process.stderr.write(
      'usage: write-events <dataDir> <sessionId> <count> [projectId] [client]\n',
    );
    process.exit(2);
  }
  const count = Number(countText);
  const sink = openAuditSegment({
    dataDir,
    projectId,
    projectName: projectId.replace(/^prj_/, ''),
    sessionId,
    maxBufferedEvents: 100_000,
    maxBufferedBytes: 64 * 1024 * 1024,
  });
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    for (const e of sampleExchange(i, { projectId, client })) sink.write(e);
    // Yield now and then, as a bridge does between messages, so the buffer drains.
    if (i % 500 === 499) await new Promise((r) => setImmediate(r));
  }
  await sink.close();
  const ms = performance.now() - started;
  const s = sink.stats();
  process.stdout.write(JSON.stringify({ written: s.written, dropped: s.dropped, ms }) + '\n');
}

void main();
