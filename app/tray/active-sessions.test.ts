import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditStore } from '../audit/audit-store.js';
import { openAuditSegment, type AuditSegment } from '../audit/segment-writer.js';
import { makeTempHome, type TempHome } from '../testing/temp-home.js';
import { ActiveSessions, pidAlive } from './active-sessions.js';

let tmp: TempHome;
const open: AuditSegment[] = [];
beforeEach(async () => {
  tmp = await makeTempHome();
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
  await tmp.cleanup();
});

/** A bridge session as the bridge writes it: start (with its pid), traffic with the client. */
async function session(id: string, projectId: string, client: string, pid = process.pid) {
  const seg = openAuditSegment({ dataDir: tmp.dataDir, projectId, sessionId: id });
  open.push(seg);
  seg.write({
    projectId,
    sessionId: id,
    direction: 'bridge',
    kind: 'session-start',
    detail: { pid },
  });
  seg.write({
    projectId,
    sessionId: id,
    client: { name: client },
    direction: 'client->server',
    kind: 'request',
    method: 'initialize',
    id: '0',
  });
  await seg.flush();
  return seg;
}

async function until(check: () => Promise<boolean>, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('active sessions from the audit log', () => {
  it('lists running sessions with their client, and drops them at session-end', async () => {
    const a = await session('s1', 'prj_a', 'Claude Desktop');
    await session('s2', 'prj_a', 'Cursor');
    await session('s3', 'prj_b', 'Cursor');
    const store = new AuditStore(tmp.dataDir, { pollMs: 50 });
    const sessions = new ActiveSessions(store);
    let changes = 0;
    const stop = sessions.start(() => changes++);
    try {
      const sorted = async () =>
        (await sessions.list()).sort((x, y) =>
          `${x.projectId}${x.clientName}`.localeCompare(`${y.projectId}${y.clientName}`),
        );
      expect(await sorted()).toEqual([
        { projectId: 'prj_a', clientName: 'Claude Desktop' },
        { projectId: 'prj_a', clientName: 'Cursor' },
        { projectId: 'prj_b', clientName: 'Cursor' },
      ]);

      // The tail sees the end of s1 (and a new session) without a reload.
      a.write({ projectId: 'prj_a', sessionId: 's1', direction: 'bridge', kind: 'session-end' });
      await a.flush();
      await session('s4', 'prj_b', 'Zed');
      await until(async () => (await sessions.list()).length === 3 && changes >= 2);
      expect(await sorted()).toEqual([
        { projectId: 'prj_a', clientName: 'Cursor' },
        { projectId: 'prj_b', clientName: 'Cursor' },
        { projectId: 'prj_b', clientName: 'Zed' },
      ]);
    } finally {
      stop();
      store.close();
    }
  });

  it('forgets a session whose bridge process died without writing its end', async () => {
    await session('s1', 'prj_a', 'Cursor', 999_999_999);
    await session('s2', 'prj_a', 'Zed');
    const store = new AuditStore(tmp.dataDir);
    try {
      expect(await new ActiveSessions(store).list()).toEqual([
        { projectId: 'prj_a', clientName: 'Zed' },
      ]);
    } finally {
      store.close();
    }
    expect(pidAlive(process.pid)).toBe(true);
    expect(pidAlive(999_999_999)).toBe(false);
  });
});
