import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempHome, type TempHome } from '../testing/temp-home.js';
import type { AuditWriteInput } from './audit-event.js';
import { AuditStore } from './audit-store.js';
import { openAuditSegment } from './segment-writer.js';

let tmp: TempHome;
beforeEach(async () => {
  tmp = await makeTempHome('sb-activity-');
});
afterEach(() => tmp.cleanup());

const MIN = 60_000;
// A fixed "now" in the middle of a minute: the last bucket is the current, partial minute.
const NOW = Date.parse('2026-12-01T12:00:30.000Z');
const at = (minutesAgo: number, ms = 0) => new Date(NOW - minutesAgo * MIN + ms).toISOString();

/** One call and its answer: a request from the client, a response with a round-trip time. */
function call(
  projectId: string,
  ts: string,
  id: string,
  client: string,
  durationMs: number,
  fails = false,
): AuditWriteInput[] {
  const base = {
    projectId,
    client: { name: client },
    method: 'tools/call',
    id,
    target: 'echo',
  } as const;
  return [
    { ...base, ts, direction: 'client->server', kind: 'request' },
    {
      ...base,
      ts,
      direction: 'server->client',
      kind: fails ? 'error' : 'response',
      status: fails ? 'error' : 'ok',
      durationMs,
    },
  ];
}

async function seed(): Promise<void> {
  const a = openAuditSegment({
    dataDir: tmp.dataDir,
    projectId: 'prj_a',
    projectName: 'acme',
    sessionId: 's1',
  });
  const b = openAuditSegment({
    dataDir: tmp.dataDir,
    projectId: 'prj_a',
    projectName: 'acme',
    sessionId: 's2',
  });
  const c = openAuditSegment({
    dataDir: tmp.dataDir,
    projectId: 'prj_b',
    projectName: 'beta',
    sessionId: 's3',
  });
  // 10 minutes ago: Cursor makes 4 calls (10, 20, 30, 400 ms), one fails; Zed one of 50 ms.
  [10, 20, 30, 400].forEach((d, i) =>
    call('prj_a', at(10, i * 1000), `c${i}`, 'Cursor', d, i === 3).forEach((e) => a.write(e)),
  );
  call('prj_a', at(10, 5000), 'z1', 'Zed', 50).forEach((e) => b.write(e));
  // Now: one Cursor call of 7 ms. Two hours ago: outside the 1 h range, inside 24 h.
  call('prj_a', at(0), 'c9', 'Cursor', 7).forEach((e) => a.write(e));
  call('prj_a', at(120), 'c10', 'Cursor', 99).forEach((e) => a.write(e));
  // Another project, 5 minutes ago.
  call('prj_b', at(5), 'b1', 'Cursor', 5).forEach((e) => c.write(e));
  await Promise.all([a.close(), b.close(), c.close()]);
}

describe('activity from the audit index', () => {
  it('counts calls and errors and computes p50/p95 per minute, in total and per client', async () => {
    await seed();
    const store = new AuditStore(tmp.dataDir);
    const act = await store.activity({ range: '1h', project: 'acme', now: NOW });
    expect(act.bucketMs).toBe(MIN);
    expect(act.total.calls).toHaveLength(60);
    expect(act.from).toBe(Date.parse('2026-12-01T11:01:00.000Z'));
    const tenAgo = 59 - 10;
    expect(act.total.calls[tenAgo]).toBe(5);
    expect(act.total.errors[tenAgo]).toBe(1);
    // Nearest rank over 10, 20, 30, 50, 400: p50 = 30, p95 = 400.
    expect(act.total.p50[tenAgo]).toBe(30);
    expect(act.total.p95[tenAgo]).toBe(400);
    expect(act.total.calls[59]).toBe(1);
    expect(act.total.p50[59]).toBe(7);
    expect(act.total.calls.reduce((a, b) => a + b, 0)).toBe(6);
    expect(act.total.p50[tenAgo + 1]).toBeNull();
    expect(act.clients.map((c) => c.client)).toEqual(['Cursor', 'Zed']);
    const [cursor, zed] = act.clients;
    expect(cursor!.calls[tenAgo]).toBe(4);
    expect(cursor!.p95[tenAgo]).toBe(400);
    expect(zed!.calls[tenAgo]).toBe(1);
    expect(zed!.p50[tenAgo]).toBe(50);
    expect(zed!.errors.every((n) => n === 0)).toBe(true);
  });

  it('covers a day in minutes and a week in hours; without a project, every project', async () => {
    await seed();
    const store = new AuditStore(tmp.dataDir);
    const day = await store.activity({ range: '24h', project: 'prj_a', now: NOW });
    expect(day.total.calls).toHaveLength(1440);
    expect(day.total.calls.reduce((a, b) => a + b, 0)).toBe(7);
    expect(day.total.calls[1439 - 120]).toBe(1);
    const week = await store.activity({ range: '7d', now: NOW });
    expect(week.bucketMs).toBe(60 * MIN);
    expect(week.total.calls).toHaveLength(168);
    // 12:00–13:00 holds the call of now; 11:00–12:00 both projects' calls of 5 and 10 minutes ago.
    expect(week.total.calls.slice(165)).toEqual([1, 6, 1]);
  });

  it('gives each project a sparkline of calls and errors per minute over the last hour', async () => {
    await seed();
    const store = new AuditStore(tmp.dataDir);
    const lines = await store.sparklines(NOW);
    expect(lines.map((l) => l.projectId)).toEqual(['prj_a', 'prj_b']);
    const [a, b] = lines;
    expect(a!.calls).toHaveLength(60);
    expect(a!.calls[49]).toBe(5);
    expect(a!.errors[49]).toBe(1);
    expect(a!.calls[59]).toBe(1);
    expect(b!.calls[54]).toBe(1);
    expect(b!.errors.every((n) => n === 0)).toBe(true);
  });
});
