import { describe, expect, it } from 'vitest';
import { findTrayItem, type TrayItem, type TrayProject, type TrayState } from './tray-model.js';
import { aggregateStatus, buildTrayTemplate, trayTitle } from './tray-template.js';
import { trayNotices } from './tray-notices.js';

function project(overrides: Partial<TrayProject> & { id: string }): TrayProject {
  return {
    name: overrides.id,
    displayName: overrides.id,
    connected: true,
    problems: [],
    sessions: {},
    clients: [],
    ...overrides,
  };
}

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

describe('tray template', () => {
  it('with no projects: says what to do, icon off, and still offers every app action', () => {
    const state: TrayState = { projects: [], launchAtLogin: false };
    const menu = buildTrayTemplate(state);
    expect(aggregateStatus(state)).toBe('disconnected');
    expect(labels(menu)).toEqual([
      'Switchboard — no projects yet',
      '---',
      'No projects yet — open Switchboard to add one',
      '---',
      'Open Switchboard',
      'Audit window',
      '---',
      'Launch at login',
      '---',
      'Quit Switchboard',
    ]);
    expect(item(menu, 'no-projects').enabled).toBe(false);
    expect(item(menu, 'open').action).toEqual({ type: 'open-main' });
    expect(item(menu, 'audit-window').action).toEqual({ type: 'open-audit' });
    expect(item(menu, 'launch-at-login')).toMatchObject({
      checked: false,
      action: { type: 'set-launch-at-login', enabled: true },
    });
    expect(item(menu, 'quit').action).toEqual({ type: 'quit' });
  });

  it('with mixed statuses: one submenu per project with status, sessions and its actions', () => {
    const state: TrayState = {
      launchAtLogin: true,
      projects: [
        project({
          id: 'prj_a',
          displayName: 'Acme prod',
          sessions: { 'Claude Desktop': 2, Cursor: 1 },
          clients: [
            { id: 'claude-desktop', name: 'Claude Desktop', installed: true },
            { id: 'cursor', name: 'Cursor', installed: false },
          ],
        }),
        project({ id: 'prj_b', displayName: 'Beta', connected: false }),
      ],
    };
    const menu = buildTrayTemplate(state);
    expect(aggregateStatus(state)).toBe('connected');
    expect(trayTitle(state)).toBe('Switchboard — 1 of 2 projects connected');

    const a = submenu(menu, 'project:prj_a');
    expect(a.label).toBe('● Acme prod — Connected · 3 sessions');
    expect(item(menu, 'project:prj_a:status').label).toBe('Status: Connected');
    expect(item(menu, 'project:prj_a:sessions').label).toBe(
      '3 active sessions: Claude Desktop ×2, Cursor',
    );
    expect(item(menu, 'project:prj_a:disconnect').action).toEqual({
      type: 'disconnect',
      projectId: 'prj_a',
    });
    expect(findTrayItem(menu, 'project:prj_a:connect')).toBeUndefined();
    // Install into ▸ with a check per client; clicking a checked one uninstalls.
    expect(item(menu, 'project:prj_a:install:claude-desktop')).toMatchObject({
      checked: true,
      action: { type: 'uninstall', projectId: 'prj_a', clientId: 'claude-desktop' },
    });
    expect(item(menu, 'project:prj_a:install:cursor')).toMatchObject({
      checked: false,
      action: { type: 'install', projectId: 'prj_a', clientId: 'cursor' },
    });
    expect(item(menu, 'project:prj_a:test').action).toEqual({ type: 'test', projectId: 'prj_a' });
    expect(item(menu, 'project:prj_a:audit').action).toEqual({
      type: 'open-audit',
      projectId: 'prj_a',
    });

    const b = submenu(menu, 'project:prj_b');
    expect(b.label).toBe('○ Beta — Disconnected');
    expect(item(menu, 'project:prj_b:sessions').label).toBe('No active sessions');
    expect(item(menu, 'project:prj_b:connect').action).toEqual({
      type: 'connect',
      projectId: 'prj_b',
    });
    expect(labels(submenu(menu, 'project:prj_b:install').items)).toEqual([
      'No MCP clients found on this computer',
    ]);
    expect(item(menu, 'launch-at-login')).toMatchObject({
      checked: true,
      action: { type: 'set-launch-at-login', enabled: false },
    });
  });

  it('with an expired token: the icon asks for attention and the project says why', () => {
    const state: TrayState = {
      launchAtLogin: false,
      projects: [
        project({
          id: 'prj_a',
          displayName: 'Acme',
          problems: [
            {
              kind: 'token-expired',
              message: 'Token "ci" of Acme expired — rotate it in Switchboard.',
            },
          ],
        }),
        project({ id: 'prj_b', displayName: 'Beta' }),
      ],
    };
    const menu = buildTrayTemplate(state);
    expect(aggregateStatus(state)).toBe('attention');
    expect(trayTitle(state)).toBe('Switchboard — 2 of 2 projects connected, 1 needs attention');
    expect(submenu(menu, 'project:prj_a').label).toBe('⚠ Acme — Token expired');
    expect(item(menu, 'project:prj_a:problem:0')).toMatchObject({
      enabled: false,
      label: '⚠ Token "ci" of Acme expired — rotate it in Switchboard.',
    });
    expect(submenu(menu, 'project:prj_b').label).toBe('● Beta — Connected');
  });

  it('with every project disconnected: icon off, each offers Connect', () => {
    const state: TrayState = {
      launchAtLogin: false,
      projects: [
        project({ id: 'prj_a', connected: false }),
        project({ id: 'prj_b', connected: false }),
      ],
    };
    const menu = buildTrayTemplate(state);
    expect(aggregateStatus(state)).toBe('disconnected');
    expect(trayTitle(state)).toBe('Switchboard — 0 of 2 projects connected');
    for (const id of ['prj_a', 'prj_b']) {
      expect(item(menu, `project:${id}:connect`).enabled).toBe(true);
      expect(findTrayItem(menu, `project:${id}:disconnect`)).toBeUndefined();
    }
  });

  it('when projects cannot be read: says so, asks for attention, keeps the app actions', () => {
    const state: TrayState = { projects: [], launchAtLogin: false, loadError: 'corrupt file' };
    const menu = buildTrayTemplate(state);
    expect(aggregateStatus(state)).toBe('attention');
    expect(item(menu, 'load-error').label).toBe('⚠ corrupt file');
    expect(item(menu, 'open').enabled).toBe(true);
  });

  it('is plain data: survives a JSON round trip and has unique ids', () => {
    const state: TrayState = {
      launchAtLogin: false,
      projects: [
        project({ id: 'prj_a', clients: [{ id: 'cursor', name: 'Cursor', installed: true }] }),
        project({ id: 'prj_b', connected: false }),
      ],
    };
    const menu = buildTrayTemplate(state);
    expect(JSON.parse(JSON.stringify(menu))).toEqual(menu);
    const ids: string[] = [];
    const walk = (items: readonly TrayItem[]) =>
      items.forEach((i) => {
        ids.push(i.id);
        if (i.kind === 'submenu') walk(i.items);
      });
    walk(menu);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('tray notices', () => {
  const expiring = project({
    id: 'prj_a',
    problems: [{ kind: 'token-expiring', message: 'Token "ci" of a expires soon.' }],
  });

  it('announces each new problem once', () => {
    const before: TrayState = { launchAtLogin: false, projects: [project({ id: 'prj_a' })] };
    const after: TrayState = { launchAtLogin: false, projects: [expiring] };
    expect(trayNotices(before, after)).toEqual([
      {
        key: 'prj_a:token-expiring',
        title: 'Token expiring soon',
        body: 'Token "ci" of a expires soon.',
      },
    ]);
    expect(trayNotices(after, after)).toEqual([]);
  });

  it('covers auth failures and consent requests, and everything at startup', () => {
    const state: TrayState = {
      launchAtLogin: false,
      projects: [
        project({
          id: 'prj_b',
          problems: [
            { kind: 'auth-failed', message: 'Acme answered 401 — sign in again.' },
            { kind: 'consent-needed', message: 'Acme wants to provision an endpoint.' },
          ],
        }),
      ],
    };
    expect(trayNotices(undefined, state).map((n) => n.title)).toEqual([
      'Sign-in to an MCP server failed',
      'Switchboard needs your consent',
    ]);
  });
});
