import { describe, expect, it } from 'vitest';
import { attentionRows } from './attention.js';
import { findTrayItem, type TrayItem, type TrayState } from './tray-model.js';
import { aggregateStatus, buildTrayTemplate, trayTitle } from './tray-template.js';
import { STATE_NOW, TRAY_STATES, trayProject } from './testing/tray-states.js';

function labels(items: readonly TrayItem[]): string[] {
  return items.map((i) => (i.kind === 'separator' ? '---' : i.label));
}
function item(items: readonly TrayItem[], id: string) {
  const found = findTrayItem(items, id);
  if (!found || found.kind !== 'item') throw new Error(`no item ${id}`);
  return found;
}
function submenu(items: readonly TrayItem[], id: string) {
  const found = findTrayItem(items, id);
  if (!found || found.kind !== 'submenu') throw new Error(`no submenu ${id}`);
  return found;
}
const APP_ACTIONS = [
  '---',
  'Open Switchboard',
  'Audit window',
  '---',
  'Launch at login',
  '---',
  'Quit Switchboard',
];

describe('tray template, state by state', () => {
  it('no projects: says what to do, icon off, and still offers every app action', () => {
    const state = TRAY_STATES['no-projects'];
    const menu = buildTrayTemplate(state);
    expect(aggregateStatus(state)).toBe('disconnected');
    expect(labels(menu)).toEqual([
      'Switchboard — no projects yet',
      '---',
      'No projects yet — open Switchboard to add one',
      ...APP_ACTIONS,
    ]);
    expect(item(menu, 'no-projects').enabled).toBe(false);
    expect(item(menu, 'open').action).toEqual({ type: 'open-main' });
    expect(item(menu, 'audit-window').action).toEqual({ type: 'open-audit' });
    expect(item(menu, 'launch-at-login')).toMatchObject({
      checked: false,
      action: { type: 'set-launch-at-login', enabled: true },
    });
  });

  it('all fine: no attention section, one client row, project submenus with their verbs', () => {
    const state = TRAY_STATES['all-fine'];
    const menu = buildTrayTemplate(state);
    expect(aggregateStatus(state)).toBe('connected');
    expect(trayTitle(state)).toBe('Switchboard — 2 projects, 1 client active');
    expect(findTrayItem(menu, 'attention')).toBeUndefined();
    expect(labels(menu)).toEqual([
      'Switchboard — 2 projects, 1 client active',
      '---',
      'Clients (1)',
      'Claude Desktop → Acme prod · 4 calls in the last minute · last call just now',
      '---',
      'Projects (2)',
      '● Acme prod — Connected · 1 session',
      '● Beta — Connected',
      ...APP_ACTIONS,
    ]);
    expect(item(menu, 'client:s1').action).toEqual({
      type: 'open-audit',
      projectId: 'prj_acme',
      sessionId: 's1',
    });
    expect(labels(submenu(menu, 'project:prj_acme').items)).toEqual([
      'Status: Connected',
      '1 active session: Claude Desktop',
      '---',
      'Disconnect',
      'Install into',
      'Test connection',
      'Open audit log',
    ]);
    // Install into ▸ never writes from the menu: it opens the window on the diff preview.
    expect(item(menu, 'project:prj_acme:install:claude-desktop')).toMatchObject({
      label: 'Claude Desktop…',
      checked: true,
      action: {
        type: 'open-main',
        target: {
          projectId: 'prj_acme',
          view: 'install',
          clientId: 'claude-desktop',
          operation: 'uninstall',
        },
      },
    });
    expect(item(menu, 'project:prj_acme:install:cursor')).toMatchObject({
      checked: false,
      action: { target: { clientId: 'cursor', operation: 'install' } },
    });
    expect(labels(submenu(menu, 'project:prj_beta:install').items)).toEqual([
      'No MCP clients found on this computer',
    ]);
    expect(item(menu, 'project:prj_acme:audit').action).toEqual({
      type: 'open-audit',
      projectId: 'prj_acme',
    });
    expect(item(menu, 'launch-at-login').checked).toBe(true);
  });

  it('one needs sign-in: a "Sign in" row on top, attention icon, and Sign in in the submenu', () => {
    const state = TRAY_STATES['needs-sign-in'];
    const menu = buildTrayTemplate(state);
    expect(aggregateStatus(state)).toBe('attention');
    expect(trayTitle(state)).toBe('Switchboard — 2 projects, 0 clients active, 1 needs attention');
    expect(labels(menu).slice(0, 6)).toEqual([
      'Switchboard — 2 projects, 0 clients active, 1 needs attention',
      '---',
      'Needs attention (1)',
      '⚠ Sign in — Acme prod: sign-in needed',
      'Snooze these notifications for a day',
      '---',
    ]);
    expect(item(menu, 'attention:prj_acme:sign-in')).toMatchObject({
      enabled: true,
      toolTip: 'Acme prod: sign-in needed — sign in again.',
      action: { type: 'sign-in', projectId: 'prj_acme' },
    });
    expect(item(menu, 'attention:snooze').action).toEqual({
      type: 'snooze',
      keys: ['prj_acme:sign-in'],
    });
    expect(submenu(menu, 'project:prj_acme').label).toBe('⚠ Acme prod — Sign-in needed');
    // Once snoozed, the menu says so instead of offering it again.
    const snoozed = buildTrayTemplate({ ...state, snoozed: ['prj_acme:sign-in'] });
    expect(findTrayItem(snoozed, 'attention:snooze')).toBeUndefined();
    expect(item(snoozed, 'attention:snoozed')).toMatchObject({
      enabled: false,
      label: 'Notifications for these are snoozed for a day',
    });
    expect(item(menu, 'project:prj_acme:auth').label).toBe('Sign-in: Sign-in needed');
    expect(item(menu, 'project:prj_acme:sign-in').action).toEqual({
      type: 'sign-in',
      projectId: 'prj_acme',
    });
    expect(findTrayItem(menu, 'project:prj_acme:sign-out')).toBeUndefined();
    // Token projects have no sign-in.
    expect(findTrayItem(menu, 'project:prj_beta:sign-in')).toBeUndefined();
  });

  it('token expiring: a "Rotate token" row that opens the project’s tokens', () => {
    const state = TRAY_STATES['token-expiring'];
    const menu = buildTrayTemplate(state);
    expect(aggregateStatus(state)).toBe('attention');
    expect(item(menu, 'attention:prj_beta:token')).toMatchObject({
      label: '⚠ Rotate token — Beta: token expiring soon',
      action: { type: 'open-main', target: { projectId: 'prj_beta', view: 'tokens' } },
    });
    expect(submenu(menu, 'project:prj_beta').label).toBe('⚠ Beta — Token expiring soon');
    expect(item(menu, 'project:prj_beta:problem:0').label).toBe(
      '⚠ Token "ci" of Beta expires soon — rotate it in Switchboard.',
    );
  });

  it('disconnected with a client trying: "Reconnect" on top, the trying client listed', () => {
    const state = TRAY_STATES['disconnected-client-trying'];
    const menu = buildTrayTemplate(state);
    expect(aggregateStatus(state)).toBe('attention');
    expect(trayTitle(state)).toBe(
      'Switchboard — 2 projects, all disconnected, 1 client active, 1 needs attention',
    );
    expect(item(menu, 'attention:prj_acme:disconnected')).toMatchObject({
      label: '⚠ Reconnect — Acme prod: disconnected, a client keeps trying',
      action: { type: 'connect', projectId: 'prj_acme' },
    });
    expect(item(menu, 'client:s9').label).toBe(
      'Cursor → Acme prod · 3 calls in the last minute · last call just now · ⚠ 3 errors',
    );
    expect(item(menu, 'project:prj_beta:connect').action).toEqual({
      type: 'connect',
      projectId: 'prj_beta',
    });
  });

  it('three clients active: one row each with calls, last call and errors', () => {
    const state = TRAY_STATES['three-clients'];
    const menu = buildTrayTemplate(state);
    expect(aggregateStatus(state)).toBe('connected');
    expect(trayTitle(state)).toBe('Switchboard — 2 projects, 3 clients active');
    const start = labels(menu).indexOf('Clients (3)');
    expect(labels(menu).slice(start, start + 4)).toEqual([
      'Clients (3)',
      'Claude Desktop → Acme prod · 12 calls in the last minute · last call just now',
      'Cursor → Acme prod · 0 calls in the last minute · last call 3 min ago · ⚠ 1 error',
      'Zed → Beta · 0 calls in the last minute · no calls yet',
    ]);
    expect(item(menu, 'project:prj_beta:endpoint').label).toBe('Endpoint: per-tenant');
  });

  it('permission needed and re-provision: their own verbs; consent is a permission too', () => {
    const state: TrayState = {
      launchAtLogin: false,
      now: STATE_NOW,
      projects: [
        trayProject({
          id: 'prj_a',
          displayName: 'A',
          authKind: 'oauth',
          auth: { state: 'permission-needed', scopes: ['repo:write'] },
          problems: [
            { kind: 'permission-needed', message: 'A asks for more.', scopes: ['repo:write'] },
            { kind: 'consent-needed', message: 'A wants consent.' },
          ],
        }),
        trayProject({
          id: 'prj_b',
          displayName: 'B',
          authKind: 'provisioned',
          endpoint: 'shared (deploy failed)',
          problems: [{ kind: 'reprovision-needed', message: 'B failed.' }],
        }),
      ],
    };
    const menu = buildTrayTemplate(state);
    expect(item(menu, 'attention').label).toBe('Needs attention (2)');
    expect(item(menu, 'attention:prj_a:permission')).toMatchObject({
      label: '⚠ Grant permission — A: permission needed',
      action: { type: 'grant-permission', projectId: 'prj_a', scopes: ['repo:write'] },
    });
    expect(item(menu, 'attention:prj_b:provisioning')).toMatchObject({
      label: '⚠ Re-provision — B: endpoint needs re-provisioning',
      action: { type: 'reprovision', projectId: 'prj_b' },
    });
    expect(item(menu, 'project:prj_b:endpoint').label).toBe('Endpoint: shared (deploy failed)');
    // Re-provisioning is a tray row, not a notification: nothing to snooze for B.
    expect(item(menu, 'attention:snooze').action).toEqual({
      type: 'snooze',
      keys: ['prj_a:permission'],
    });
    expect(item(menu, 'project:prj_a:sign-in').label).toBe('Sign in…');
  });

  it('a signed-in OAuth project offers Sign out; a 401 on a token project says Rotate token', () => {
    const state: TrayState = {
      launchAtLogin: false,
      projects: [
        trayProject({ id: 'prj_a', authKind: 'oauth', auth: { state: 'refreshing' } }),
        trayProject({
          id: 'prj_b',
          problems: [{ kind: 'auth-failed', message: 'b: sign-in failed — token rejected.' }],
        }),
      ],
    };
    const menu = buildTrayTemplate(state);
    expect(item(menu, 'project:prj_a:auth').label).toBe(
      'Sign-in: Signed in, refreshing the token…',
    );
    expect(item(menu, 'project:prj_a:sign-out').action).toEqual({
      type: 'sign-out',
      projectId: 'prj_a',
    });
    expect(findTrayItem(menu, 'project:prj_a:sign-in')).toBeUndefined();
    // No recorded state (auth-status.json drops an entry once sign-in works): both are offered.
    const unknown = buildTrayTemplate({
      launchAtLogin: false,
      projects: [trayProject({ id: 'prj_c', authKind: 'oauth' })],
    });
    expect(findTrayItem(unknown, 'project:prj_c:auth')).toBeUndefined();
    expect(labels(submenu(unknown, 'project:prj_c').items)).toContain('Sign in…');
    expect(labels(submenu(unknown, 'project:prj_c').items)).toContain('Sign out');
    expect(item(menu, 'attention:prj_b:sign-in')).toMatchObject({
      label: '⚠ Rotate token — prj_b: sign-in failed',
      action: { type: 'open-main', target: { projectId: 'prj_b', view: 'tokens' } },
    });
  });

  it('one row per project and cause: a 401 and a recorded sign-in-needed are one thing', () => {
    const state: TrayState = {
      launchAtLogin: false,
      projects: [
        trayProject({
          id: 'prj_a',
          authKind: 'oauth',
          problems: [
            { kind: 'auth-failed', message: '401' },
            { kind: 'sign-in-needed', message: 'sign in' },
            { kind: 'token-expiring', message: 'soon' },
          ],
        }),
      ],
    };
    expect(attentionRows(state).map((r) => [r.key, r.kind, r.verb])).toEqual([
      ['prj_a:sign-in', 'sign-in-needed', 'Sign in'],
      ['prj_a:token', 'token-expiring', 'Rotate token'],
    ]);
  });

  it('when projects cannot be read: says so, asks for attention, keeps the app actions', () => {
    const state: TrayState = { projects: [], launchAtLogin: false, loadError: 'corrupt file' };
    const menu = buildTrayTemplate(state);
    expect(aggregateStatus(state)).toBe('attention');
    expect(trayTitle(state)).toBe('Switchboard — projects cannot be read');
    expect(item(menu, 'load-error').label).toBe('⚠ corrupt file');
    expect(item(menu, 'open').enabled).toBe(true);
  });

  it('says when per-client figures are incomplete because the audit index is building', () => {
    const menu = buildTrayTemplate({ ...TRAY_STATES['all-fine'], indexingPercent: 40.7 });
    expect(item(menu, 'indexing').label).toBe('Indexing audit log… 40 % (figures incomplete)');
  });

  it('every named state is plain data with unique ids', () => {
    for (const [name, state] of Object.entries(TRAY_STATES)) {
      const menu = buildTrayTemplate(state);
      expect(JSON.parse(JSON.stringify(menu)), name).toEqual(menu);
      const ids: string[] = [];
      const walk = (items: readonly TrayItem[]) =>
        items.forEach((i) => {
          ids.push(i.id);
          if (i.kind === 'submenu') walk(i.items);
        });
      walk(menu);
      expect(new Set(ids).size, name).toBe(ids.length);
    }
  });
});
