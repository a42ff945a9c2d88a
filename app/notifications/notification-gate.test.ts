import fs from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openAuditSegment } from '../audit/segment-writer.js';
import { BridgeErrorCode } from '../bridge/protocol.js';
import { createServices, type Services } from '../services.js';
import { makeTempHome, type TempHome } from '../testing/temp-home.js';
import { attentionRows } from '../tray/attention.js';
import { AuthFailures } from '../tray/auth-failures.js';
import { collectTrayState } from '../tray/tray-state.js';
import { traySourcesFrom } from '../tray/tray-sources.js';
import { STATE_NOW, TRAY_STATES } from '../tray/testing/tray-states.js';
import { NotificationGate, REPEAT_MS, SNOOZE_MS } from './notification-gate.js';
import {
  loadNotificationMemory,
  notificationMemoryStore,
  saveNotificationMemory,
} from './notification-memory.js';
import { until } from '../testing/until.js';

let tmp: TempHome;
let services: Services;
beforeEach(async () => {
  tmp = await makeTempHome();
  services = createServices({ dataDir: tmp.dataDir, env: tmp.env });
});
afterEach(async () => {
  services.audit.close();
  await tmp.cleanup();
});

describe('notification gate', () => {
  it('three 401s from a real bridge audit log in a row make one notification', async () => {
    const p = await services.projects.add({
      name: 'acme',
      url: 'https://a.test/mcp',
      auth: 'bearer',
    });
    const seg = openAuditSegment({ dataDir: tmp.dataDir, projectId: p.id, sessionId: 's1' });
    const failures = new AuthFailures(services.audit);
    const stop = failures.start(() => undefined);
    const sources = traySourcesFrom(services, { authFailures: failures });
    const gate = new NotificationGate();
    const shown = [];
    try {
      for (let i = 0; i < 3; i++) {
        seg.write({
          projectId: p.id,
          projectName: 'acme',
          sessionId: 's1',
          direction: 'bridge',
          kind: 'error',
          method: 'tools/call',
          status: 'error',
          errorCode: BridgeErrorCode.AUTH,
          errorMessage: `Switchboard (acme): the server answered 401 (#${i + 1}) — rotate the token.`,
        });
        await seg.flush();
        await until(async () =>
          (await failures.list()).some((f) => f.message.includes(`#${i + 1}`)),
        );
        const state = await collectTrayState(sources);
        shown.push(...gate.next(attentionRows(state), Date.now()));
      }
    } finally {
      stop();
      await seg.close();
    }
    expect(shown).toEqual([
      {
        key: `${p.id}:sign-in`,
        title: 'Token needs rotating',
        body: 'acme: sign-in failed — the server answered 401 (#1) — rotate the token. (Rotate token from the Switchboard tray.)',
        target: { type: 'open-main', target: { projectId: p.id, view: 'tokens' } },
      },
    ]);
  });

  it('only rows that need action notify; clicking opens a window, never the sign-in itself', () => {
    const gate = new NotificationGate();
    const signIn = gate.next(attentionRows(TRAY_STATES['needs-sign-in']), STATE_NOW);
    expect(signIn).toEqual([
      {
        key: 'prj_acme:sign-in',
        title: 'Sign-in needed',
        body: 'Acme prod: sign-in needed — sign in again. (Sign in from the Switchboard tray.)',
        target: { type: 'open-main', target: { projectId: 'prj_acme' } },
      },
    ]);
    expect(gate.next(attentionRows(TRAY_STATES['all-fine']), STATE_NOW)).toEqual([]);
    expect(
      gate
        .next(attentionRows(TRAY_STATES['disconnected-client-trying']), STATE_NOW)
        .map((n) => n.title),
    ).toEqual(['A client keeps trying a disconnected project']);
    expect(
      gate.next(attentionRows(TRAY_STATES['token-expiring']), STATE_NOW).map((n) => n.key),
    ).toEqual(['prj_beta:token']);
  });

  it('does not repeat a cause that cleared and came back within the hour; does after', () => {
    const gate = new NotificationGate();
    const rows = attentionRows(TRAY_STATES['needs-sign-in']);
    expect(gate.next(rows, STATE_NOW)).toHaveLength(1);
    expect(gate.next([], STATE_NOW + 1_000)).toEqual([]);
    expect(gate.next(rows, STATE_NOW + 2_000)).toEqual([]);
    expect(gate.next([], STATE_NOW + 3_000)).toEqual([]);
    expect(gate.next(rows, STATE_NOW + REPEAT_MS + 1)).toHaveLength(1);
  });

  it('snoozes a key for a day, and keeps shown/snoozed across restarts in notifications.json', async () => {
    const rows = attentionRows(TRAY_STATES['needs-sign-in']);
    const gate = new NotificationGate();
    gate.snooze(['prj_acme:sign-in'], STATE_NOW);
    expect(gate.next(rows, STATE_NOW + 1)).toEqual([]);
    await saveNotificationMemory(tmp.dataDir, gate.snapshot());

    expect(gate.annotate(TRAY_STATES['needs-sign-in'], STATE_NOW + 1).snoozed).toEqual([
      'prj_acme:sign-in',
    ]);
    expect(gate.annotate(TRAY_STATES['all-fine'], STATE_NOW).snoozed).toBeUndefined();
    // A restart: the snooze still holds until a day has passed.
    const again = new NotificationGate(await loadNotificationMemory(tmp.dataDir));
    expect(again.isSnoozed('prj_acme:sign-in', STATE_NOW + SNOOZE_MS - 1)).toBe(true);
    expect(again.next(rows, STATE_NOW + 10)).toEqual([]);
    expect(again.next([], STATE_NOW + SNOOZE_MS)).toEqual([]);
    expect(again.next(rows, STATE_NOW + SNOOZE_MS + 1)).toHaveLength(1);

    // The file holds keys and times only: no message text.
    const text = await fs.readFile(notificationMemoryStore(tmp.dataDir).path, 'utf8');
    expect(text).not.toContain('sign in again');
    expect((await fs.stat(notificationMemoryStore(tmp.dataDir).path)).mode & 0o777).toBe(0o600);
  });

  it('refuses a corrupt memory file without overwriting it', async () => {
    const file = notificationMemoryStore(tmp.dataDir).path;
    await fs.mkdir(tmp.dataDir, { recursive: true });
    await fs.writeFile(file, '{"version":1,"shown":{"k":"x"}}');
    await expect(loadNotificationMemory(tmp.dataDir)).rejects.toThrow(/notifications\.json/);
    await expect(
      saveNotificationMemory(tmp.dataDir, { shown: {}, snoozedUntil: {} }),
    ).rejects.toThrow(/will not overwrite/);
    expect(await fs.readFile(file, 'utf8')).toBe('{"version":1,"shown":{"k":"x"}}');
  });
});
