/**
 * How soon the tray's Clients rows follow a bridge session: the time from a bridge writing its
 * `session-start` (or `session-end`) to ActiveSessions, reading the worker-backed audit store
 * as the app does, reporting the change. 20 sessions, one after another. Prints JSON.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openAuditSegment } from '../app/audit/segment-writer.js';
import { AuditWorkerStore } from '../app/audit/worker-store.js';
import { auditWorkerScript } from '../app/testing/audit-worker-script.js';
import { ActiveSessions } from '../app/tray/active-sessions.js';

const SESSIONS = 20;

function stats(values: number[]) {
  const s = [...values].sort((a, b) => a - b);
  const at = (p: number) => Math.round(s[Math.min(s.length - 1, Math.floor(p * s.length))]!);
  return { p50: at(0.5), p95: at(0.95), max: Math.round(s[s.length - 1]!) };
}

async function main(): Promise<void> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sb-bench-sessions-'));
  const store = new AuditWorkerStore(dir, { script: await auditWorkerScript() });
  const sessions = new ActiveSessions(store);
  let wake: (() => void) | undefined;
  const stop = sessions.start(() => wake?.());
  const waitFor = async (want: (n: number) => boolean) => {
    for (let i = 0; i < 400 && !want((await sessions.list()).length); i++) {
      await new Promise<void>((r) => {
        wake = r;
        setTimeout(r, 25);
      });
    }
  };
  await store.ready();
  const starts: number[] = [];
  const ends: number[] = [];
  try {
    for (let i = 0; i < SESSIONS; i++) {
      const seg = openAuditSegment({ dataDir: dir, projectId: 'prj_a', sessionId: `s${i}` });
      let t = performance.now();
      seg.write({
        projectId: 'prj_a',
        sessionId: `s${i}`,
        direction: 'bridge',
        kind: 'session-start',
        detail: { pid: process.pid },
      });
      await seg.flush();
      await waitFor((n) => n === 1);
      starts.push(performance.now() - t);
      t = performance.now();
      seg.write({
        projectId: 'prj_a',
        sessionId: `s${i}`,
        direction: 'bridge',
        kind: 'session-end',
      });
      await seg.close();
      await waitFor((n) => n === 0);
      ends.push(performance.now() - t);
    }
  } finally {
    stop();
    store.close();
    await fs.rm(dir, { recursive: true, force: true });
  }
  process.stdout.write(
    JSON.stringify(
      {
        benchmark: 'audit-sessions',
        sessions: SESSIONS,
        startToRowMs: stats(starts),
        endToGoneMs: stats(ends),
        targetMs: 1000,
      },
      null,
      2,
    ) + '\n',
  );
}

void main();
