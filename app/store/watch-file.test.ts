import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { makeTempHome, type TempHome } from '../testing/temp-home.js';
import { until } from '../testing/until.js';
import { holdFsWatch, watchFile, type FileWatcher } from './watch-file.js';

// Real files in a temp dir. A poll interval of a minute leaves fs.watch as the only way a
// change can be reported within these tests' waits; a short one tests the poll.
let tmp: TempHome;
let file: string;
const watchers: FileWatcher[] = [];
const releases: Array<() => void> = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeEach(async () => {
  tmp = await makeTempHome('sb-watch-file-');
  fs.mkdirSync(tmp.dataDir, { recursive: true });
  file = path.join(tmp.dataDir, 'projects.json');
  fs.writeFileSync(file, '{"v":0}');
});
afterEach(async () => {
  releases.forEach((release) => release());
  releases.length = 0;
  watchers.forEach((w) => w.close());
  watchers.length = 0;
  await tmp.cleanup();
});

function watch(pollMs: number): { changes: () => number } {
  let n = 0;
  watchers.push(watchFile(file, () => n++, pollMs));
  return { changes: () => n };
}
const replace = (text: string) => {
  // As the stores write: a new file renamed over the old one.
  fs.writeFileSync(`${file}.tmp`, text);
  fs.renameSync(`${file}.tmp`, file);
};

it('reports a replaced file through fs.watch, long before its poll would', async () => {
  const w = watch(60_000);
  replace('{"v":1}');
  await until(() => w.changes() === 1, 3_000);
});

it('held: polls only until released, then fs.watch reports again', async () => {
  const release = holdFsWatch();
  releases.push(release);
  const w = watch(60_000);
  replace('{"v":1}');
  // fs.watch answers within tens of ms; nothing may, while held and before the minute's poll.
  await sleep(400);
  expect(w.changes()).toBe(0);
  release();
  replace('{"v":22}');
  await until(() => w.changes() === 1, 3_000);
});

it('held: the poll still reports a change (the kill switch before a bridge answers)', async () => {
  releases.push(holdFsWatch());
  const w = watch(50);
  replace('{"v":1}');
  await until(() => w.changes() === 1, 3_000);
});

it('a watcher closed while held attaches nothing at release', async () => {
  const release = holdFsWatch();
  let n = 0;
  const closed = watchFile(file, () => n++, 60_000);
  closed.close();
  release();
  release(); // a second release is a no-op
  replace('{"v":1}');
  await sleep(400);
  expect(n).toBe(0);
  // Holding ended with the release: a new watcher attaches at once.
  const w = watch(60_000);
  replace('{"v":2}');
  await until(() => w.changes() === 1, 3_000);
});
