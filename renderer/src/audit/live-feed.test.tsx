// @vitest-environment jsdom
import { Profiler } from 'react';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startAuditFeed } from '../../../app/audit/audit-feed';
import { openAuditSegment } from '../../../app/audit/segment-writer';
import type { EventChannel } from '../../../app/contract/channels';
import { createDesktopApi } from '../../../app/contract/desktop-api';
import { createDispatcher } from '../../../app/contract/dispatch';
import { createHandlers } from '../../../app/ipc/handlers';
import { createServices, type Services } from '../../../app/services';
import { makeTempHome, type TempHome } from '../../../app/testing/temp-home';
import { LiveFeed } from './LiveFeed';
import type {} from '../env';

// The renderer side of the feed against the real main-side pieces: the real dispatcher and
// handlers over real services, the real audit store tailing a real segment, the real feed
// batching. Only the IPC hop is an in-process function call (no Electron here).
let tmp: TempHome;
let services: Services;
let pushes = 0;
let stopFeed: () => void;

beforeAll(async () => {
  tmp = await makeTempHome('sb-livefeed-');
  services = createServices({ dataDir: tmp.dataDir, env: tmp.env });
  const dispatch = createDispatcher(createHandlers(services));
  const listeners = new Map<EventChannel, Set<(p: unknown) => void>>();
  window.switchboard = createDesktopApi({
    invoke: (channel, input) => dispatch(channel, input),
    subscribe(event, listener) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener);
      return () => set.delete(listener);
    },
  });
  stopFeed = startAuditFeed(
    services.audit,
    (event, payload) => {
      pushes++;
      listeners.get(event)?.forEach((l) => l(payload));
    },
    { retention: false },
  );
});

afterAll(async () => {
  cleanup();
  stopFeed();
  services.audit.close();
  await tmp.cleanup();
});

test('the live feed shows new events and renders once per pushed batch, not per event', async () => {
  let renders = 0;
  render(
    <Profiler id="feed" onRender={() => renders++}>
      <LiveFeed />
    </Profiler>,
  );
  expect(await screen.findByText(/No activity yet/)).toBeTruthy();

  const sink = openAuditSegment({
    dataDir: tmp.dataDir,
    projectId: 'prj_feed',
    projectName: 'feed-demo',
    sessionId: 'ses_feed',
  });
  const EVENTS = 2000;
  for (let i = 0; i < EVENTS; i++) {
    sink.write({
      projectId: 'prj_feed',
      direction: 'client->server',
      kind: 'request',
      method: 'tools/call',
      target: `tool-${i}`,
      id: String(i),
    });
  }
  await sink.close();

  await waitFor(() => expect(screen.getByText(`tools/call · tool-${EVENTS - 1}`)).toBeTruthy(), {
    timeout: 10_000,
  });
  const rows = screen.getAllByTestId('live-feed-row');
  expect(rows).toHaveLength(12);
  expect(rows[0]!.textContent).toContain(`tool-${EVENTS - 1}`); // newest first
  expect(rows[0]!.textContent).toContain('feed-demo');
  expect(pushes).toBeGreaterThan(0);
  expect(pushes).toBeLessThan(EVENTS / 10);
  // One render per push (plus mount and the initial query), however many events a push holds.
  expect(renders).toBeLessThanOrEqual(pushes + 3);
});

test('events from different segments show in time order, whatever order they arrive in', async () => {
  cleanup();
  render(<LiveFeed />);
  const now = Date.now();
  const at = (ms: number) => new Date(now + 60_000 + ms).toISOString();
  // The bridge's call is written (and tailed) first; the CLI's connect, a moment older, after.
  const bridge = openAuditSegment({
    dataDir: tmp.dataDir,
    projectId: 'prj_order',
    sessionId: 'ses_o',
  });
  bridge.write({
    ts: at(50),
    projectId: 'prj_order',
    direction: 'client->server',
    kind: 'request',
    method: 'tools/call',
    target: 'after-connect',
    id: 'o1',
  });
  await bridge.close();
  await waitFor(() => expect(screen.getByText('tools/call · after-connect')).toBeTruthy(), {
    timeout: 10_000,
  });
  const { recordLifecycleEvent } = await import('../../../app/audit/segment-writer');
  await recordLifecycleEvent(
    tmp.dataDir,
    {
      ts: at(0),
      projectId: 'prj_order',
      direction: 'bridge',
      kind: 'connect',
      detail: { via: 'cli' },
    },
    'cli',
  );
  await waitFor(
    () => {
      const rows = screen.getAllByTestId('live-feed-row').map((r) => r.textContent ?? '');
      const call = rows.findIndex((t) => t.includes('after-connect'));
      const connect = rows.findIndex((t) => t.includes('connect') && !t.includes('after-connect'));
      expect(connect).toBeGreaterThan(-1);
      // Newest first: the call is above the connect that preceded it.
      expect(call).toBeLessThan(connect);
      expect(call).toBe(0);
    },
    { timeout: 10_000 },
  );
});
