import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import type { AuditRowView } from '../contract/audit-contract';
import { createDispatcher, type Dispatch } from '../contract/dispatch';
import { createHandlers } from '../ipc/handlers';
import { createServices, type Services } from '../services';
import { makeTempHome, type TempHome } from '../testing/temp-home';
import { startAuditFeed } from './audit-feed';
import { auditDir } from './segment-files';
import { openAuditSegment } from './segment-writer';
import { sampleExchange } from './testing/sample-events';

let tmp: TempHome;
let services: Services;
let dispatch: Dispatch;
beforeEach(async () => {
  tmp = await makeTempHome('sb-audit-ipc-');
  services = createServices({ dataDir: tmp.dataDir, env: tmp.env });
  dispatch = createDispatcher(createHandlers(services));
});
afterEach(async () => {
  services.audit.close();
  await tmp.cleanup();
});

async function seed(n = 5): Promise<void> {
  const sink = openAuditSegment({
    dataDir: tmp.dataDir,
    projectId: 'prj_ipc',
    projectName: 'ipc',
    sessionId: 'ses_ipc',
  });
  for (let i = 0; i < n; i++) {
    for (const e of sampleExchange(i, { projectId: 'prj_ipc', client: 'cursor' })) sink.write(e);
  }
  await sink.close();
}

test('query, pair, sessions and export over the real dispatcher', async () => {
  await seed();
  const q = await dispatch('audit.query', { filter: { tool: 'add' }, limit: 10 });
  expect(q.ok).toBe(true);
  const events = (q as { value: { events: AuditRowView[] } }).value.events;
  expect(events.map((e) => e.kind)).toEqual(['response', 'request']);
  const pair = await dispatch('audit.pair', { ref: events[1]!.ref });
  expect(pair).toMatchObject({
    ok: true,
    value: { request: { id: '1', kind: 'request' }, response: { id: '1', status: 'ok' } },
  });
  expect(await dispatch('audit.sessions', undefined)).toMatchObject({
    ok: true,
    value: [{ projectId: 'prj_ipc', clients: [{ client: 'cursor', sessions: [{ events: 10 }] }] }],
  });
  const exported = await dispatch('audit.export', { filter: { status: 'ok' }, format: 'jsonl' });
  expect(exported).toMatchObject({ ok: true, value: { count: 5 } });
  const file = (exported as { value: { path: string } }).value.path;
  expect(file.startsWith(tmp.dataDir) || file.startsWith(tmp.home)).toBe(true);
  expect((await fs.readFile(file, 'utf8')).trimEnd().split('\n')).toHaveLength(5);
  // Bad input is a VALIDATION error naming the field, not a crash.
  expect(await dispatch('audit.query', { filter: { status: 'meh' } })).toMatchObject({
    ok: false,
    error: { code: 'VALIDATION' },
  });
  expect(await dispatch('audit.pair', { ref: 'nope@0' })).toMatchObject({
    ok: false,
    error: { code: 'NOT_FOUND' },
  });
});

test('a foreign or hand-edited line never breaks a page: extra fields are dropped', async () => {
  await seed(1);
  const dir = auditDir(tmp.dataDir);
  const line = (extra: Record<string, unknown>) =>
    JSON.stringify({
      v: 1,
      ts: new Date().toISOString(),
      seq: 0,
      projectId: 'prj_x',
      direction: 'bridge',
      kind: 'connect',
      ...extra,
    });
  await fs.writeFile(
    path.join(dir, '2030-01-01T00-00-00-000Z_foreign.jsonl'),
    `${line({ futureField: 'x' })}\n${line({ seq: 'not a number' })}\n`,
  );
  const q = await dispatch('audit.query', { limit: 100 });
  expect(q.ok).toBe(true);
  const events = (q as { value: { events: AuditRowView[] } }).value.events;
  expect(events).toHaveLength(3); // two from the seed, one foreign that fits
  expect(events.some((e) => 'futureField' in e)).toBe(false);
});

test('the feed pushes batches without previews and never one push per event', async () => {
  await services.audit.ready();
  const pushes: AuditRowView[][] = [];
  const stop = startAuditFeed(services.audit, (_e, rows) => pushes.push(rows), {
    retention: false,
  });
  await seed(250); // 500 events in one burst
  for (let i = 0; i < 200 && pushes.flat().length < 500; i++) {
    await new Promise((r) => setTimeout(r, 25));
  }
  stop();
  const rows = pushes.flat();
  expect(rows).toHaveLength(500);
  expect(rows.some((r) => r.preview !== undefined)).toBe(false);
  expect(pushes.length).toBeLessThan(50);
  expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 500 }, (_, i) => i));
});
