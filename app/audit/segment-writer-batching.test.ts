import fs from 'node:fs/promises';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { makeTempHome, type TempHome } from '../testing/temp-home';
import type * as FsCallbacks from '../platform/fs-callbacks';
import { openAuditSegment } from './segment-writer';

// A disk slower than the events come: each append takes 3 ms (the real append, after a wait),
// and it is counted. The file and every write to it are real.
const appends = vi.hoisted(() => ({ count: 0 }));
vi.mock('../platform/fs-callbacks', async (importOriginal) => {
  const real = await importOriginal<typeof FsCallbacks>();
  return {
    ...real,
    writeFile: async (...args: Parameters<typeof real.writeFile>) => {
      appends.count++;
      await new Promise((r) => setTimeout(r, 3));
      return real.writeFile(...args);
    },
  };
});

let tmp: TempHome;
beforeEach(async () => {
  tmp = await makeTempHome();
  appends.count = 0;
});
afterEach(() => tmp.cleanup());

test('a busy writer appends at most once per interval, not once per event, and loses nothing', async () => {
  const interval = 25;
  const sink = openAuditSegment({
    dataDir: tmp.dataDir,
    projectId: 'prj_a',
    sessionId: 's1',
    flushIntervalMs: interval,
  });
  const events = 80;
  const started = performance.now();
  // One event every 2 ms: each append (3 ms) finds new events waiting when it ends.
  await new Promise<void>((resolve) => {
    let n = 0;
    const timer = setInterval(() => {
      sink.write({ projectId: 'prj_a', direction: 'bridge', kind: 'connect' });
      if (++n === events) {
        clearInterval(timer);
        resolve();
      }
    }, 2);
  });
  const elapsed = performance.now() - started;
  await sink.close();
  // The timer's appends, plus the ones close() makes for what is still buffered.
  expect(appends.count).toBeLessThanOrEqual(Math.ceil(elapsed / interval) + 2);
  const lines = (await fs.readFile(sink.file, 'utf8')).trimEnd().split('\n');
  expect(lines.map((l) => (JSON.parse(l) as { seq: number }).seq)).toEqual(
    Array.from({ length: events }, (_, i) => i),
  );
});
