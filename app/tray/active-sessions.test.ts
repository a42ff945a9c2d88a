import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditStore } from '../audit/audit-store.js';
import { openAuditSegment, type AuditSegment } from '../audit/segment-writer.js';
import { makeTempHome, type TempHome } from '../testing/temp-home.js';
import { ActiveSessions, pidAlive } from './active-sessions.js';
import { until } from '../testing/until.js';

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
        (await sessions.list())
          .map(({ projectId, clientName }) => ({ projectId, clientName }))
          .sort((x, y) =>
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
      expect(
        (await new ActiveSessions(store).list()).map(({ projectId, clientName }) => ({
          projectId,
          clientName,
        })),
      ).toEqual([{ projectId: 'prj_a', clientName: 'Zed' }]);
    } finally {
      store.close();
    }
    expect(pidAlive(process.pid)).toBe(true);
    expect(pidAlive(999_999_999)).toBe(false);
  });

  it('counts each session’s calls in the last minute, its last call and its errors', async () => {
    let now = Date.now();
    const a = await session('s1', 'prj_a', 'Cursor');
    const store = new AuditStore(tmp.dataDir, { pollMs: 50 });
    const sessions = new ActiveSessions(store, pidAlive, () => now);
    const stop = sessions.start(() => undefined);
    try {
      // initialize was the first call.
      expect(await sessions.list()).toEqual([
        {
          sessionId: 's1',
          projectId: 'prj_a',
          clientName: 'Cursor',
          callsLastMinute: 1,
          lastCallAt: expect.any(Number),
          errors: 0,
        },
      ]);
      const base = { projectId: 'prj_a', sessionId: 's1', client: { name: 'Cursor' } } as const;
      for (let i = 1; i <= 3; i++) {
        a.write({
          ...base,
          direction: 'client->server',
          kind: 'request',
          method: 'tools/call',
          id: String(i),
        });
      }
      a.write({ ...base, direction: 'server->client', kind: 'response', id: '3', status: 'error' });
      await a.flush();
      await until(async () => (await sessions.list())[0]!.callsLastMinute === 4);
      const [row] = await sessions.list();
      expect(row).toMatchObject({ callsLastMinute: 4, errors: 1 });
      // A minute later the calls have aged out; the last call time stays.
      now += 61_000;
      expect((await sessions.list())[0]).toMatchObject({
        callsLastMinute: 0,
        lastCallAt: row!.lastCallAt,
        errors: 1,
      });
    } finally {
      stop();
      store.close();
    }
  });
});
