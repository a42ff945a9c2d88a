import { relativeTime } from '../shared/humanize.js';
import { attentionRows, problemShort, worstProblem, type AttentionRow } from './attention.js';
import type {
  AggregateStatus,
  AuthState,
  TrayItem,
  TrayProject,
  TraySession,
  TrayState,
} from './tray-model.js';

/**
 * The icon state: "attention" when anything needs the user (a "Needs attention" row, or
 * unreadable projects); otherwise "connected" when at least one project is connected,
 * "disconnected" when none is (including when there are no projects).
 */
export function aggregateStatus(state: TrayState): AggregateStatus {
  if (state.loadError || attentionRows(state).length > 0) return 'attention';
  return state.projects.some((p) => p.connected) ? 'connected' : 'disconnected';
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * The tooltip, the accessibility label and the menu header: the state in words, with counts
 * ("Switchboard — 5 projects, 3 clients active, 1 needs attention").
 */
export function trayTitle(state: TrayState): string {
  if (state.loadError) return 'Switchboard — projects cannot be read';
  const total = state.projects.length;
  if (total === 0) return 'Switchboard — no projects yet';
  const parts = [plural(total, 'project')];
  const on = state.projects.filter((p) => p.connected).length;
  if (on === 0) parts.push('all disconnected');
  else if (on < total) parts.push(`${on} connected`);
  parts.push(`${plural(state.sessions?.length ?? 0, 'client')} active`);
  const attention = attentionRows(state).length;
  if (attention > 0) parts.push(`${attention} need${attention === 1 ? 's' : ''} attention`);
  return `Switchboard — ${parts.join(', ')}`;
}

/** Status as text and symbol (never colour alone): "Connected", "Disconnected", "Token expired". */
export function projectStatusText(project: TrayProject): { symbol: string; text: string } {
  const worst = worstProblem(project.problems);
  if (worst) {
    const text = problemShort(worst.kind);
    return { symbol: '⚠', text: text[0]!.toUpperCase() + text.slice(1) };
  }
  return project.connected
    ? { symbol: '●', text: 'Connected' }
    : { symbol: '○', text: 'Disconnected' };
}

const AUTH_TEXT: Record<AuthState, string> = {
  'signed-in': 'Signed in',
  refreshing: 'Signed in, refreshing the token…',
  'sign-in-needed': 'Sign-in needed',
  'permission-needed': 'More permission needed',
};

function sessionsText(sessions: Record<string, number>): string {
  const entries = Object.entries(sessions).filter(([, n]) => n > 0);
  const total = entries.reduce((sum, [, n]) => sum + n, 0);
  if (total === 0) return 'No active sessions';
  const who = entries
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([client, n]) => (n > 1 ? `${client} ×${n}` : client))
    .join(', ');
  return `${total} active ${total === 1 ? 'session' : 'sessions'}: ${who}`;
}

function info(id: string, label: string): TrayItem {
  return { kind: 'item', id, label, enabled: false };
}

/**
 * Sign in / Sign out for OAuth projects. auth-status.json drops a project's entry once a sign-in
 * or refresh succeeds, so no entry means "nothing wrong is known": both are offered then.
 */
function signInItems(project: TrayProject): TrayItem[] {
  if (project.authKind !== 'oauth') return [];
  const p = `project:${project.id}`;
  const state = project.auth?.state;
  const signIn: TrayItem = {
    kind: 'item',
    id: `${p}:sign-in`,
    label: 'Sign in…',
    enabled: true,
    toolTip: 'Opens your browser to sign in to this server.',
    action: { type: 'sign-in', projectId: project.id },
  };
  const signOut: TrayItem = {
    kind: 'item',
    id: `${p}:sign-out`,
    label: 'Sign out',
    enabled: true,
    action: { type: 'sign-out', projectId: project.id },
  };
  if (state === 'signed-in' || state === 'refreshing') return [signOut];
  if (state === 'sign-in-needed' || state === 'permission-needed') return [signIn];
  return [signIn, signOut];
}

function projectMenu(project: TrayProject): TrayItem {
  const p = `project:${project.id}`;
  const status = projectStatusText(project);
  const total = Object.values(project.sessions).reduce((a, b) => a + b, 0);
  const items: TrayItem[] = [
    info(`${p}:status`, `Status: ${status.text}`),
    ...(project.authKind === 'oauth' && project.auth
      ? [info(`${p}:auth`, `Sign-in: ${AUTH_TEXT[project.auth.state]}`)]
      : []),
    ...(project.endpoint ? [info(`${p}:endpoint`, `Endpoint: ${project.endpoint}`)] : []),
    info(`${p}:sessions`, sessionsText(project.sessions)),
    ...project.problems.map((problem, i) => info(`${p}:problem:${i}`, `⚠ ${problem.message}`)),
    { kind: 'separator', id: `${p}:sep1` },
    project.connected
      ? {
          kind: 'item',
          id: `${p}:disconnect`,
          label: 'Disconnect',
          enabled: true,
          toolTip: 'Every running bridge of this project refuses requests within a second.',
          action: { type: 'disconnect', projectId: project.id },
        }
      : {
          kind: 'item',
          id: `${p}:connect`,
          label: 'Connect',
          enabled: true,
          action: { type: 'connect', projectId: project.id },
        },
    ...signInItems(project),
    {
      kind: 'submenu',
      id: `${p}:install`,
      label: 'Install into',
      enabled: true,
      items:
        project.clients.length === 0
          ? [info(`${p}:install:none`, 'No MCP clients found on this computer')]
          : project.clients.map((client) => ({
              kind: 'item' as const,
              id: `${p}:install:${client.id}`,
              label: `${client.name}…`,
              enabled: true,
              checked: client.installed,
              // Never written from the menu: the window opens on the diff preview first.
              toolTip: client.installed
                ? `Shows the change that removes this project from ${client.name}.`
                : `Shows the change that adds this project to ${client.name}.`,
              action: {
                type: 'open-main' as const,
                target: {
                  projectId: project.id,
                  view: 'install' as const,
                  clientId: client.id,
                  operation: client.installed ? ('uninstall' as const) : ('install' as const),
                },
              },
            })),
    },
    {
      kind: 'item',
      id: `${p}:test`,
      label: 'Test connection',
      enabled: true,
      action: { type: 'test', projectId: project.id },
    },
    {
      kind: 'item',
      id: `${p}:audit`,
      label: 'Open audit log',
      enabled: true,
      action: { type: 'open-audit', projectId: project.id },
    },
  ];
  const suffix = total > 0 ? ` · ${plural(total, 'session')}` : '';
  return {
    kind: 'submenu',
    id: p,
    label: `${status.symbol} ${project.displayName} — ${status.text}${suffix}`,
    enabled: true,
    items,
  };
}

function attentionSection(rows: AttentionRow[], snoozed: readonly string[]): TrayItem[] {
  if (rows.length === 0) return [];
  const items: TrayItem[] = [
    info('attention', `Needs attention (${rows.length})`),
    ...rows.map((row): TrayItem => ({
      kind: 'item',
      id: `attention:${row.key}`,
      label: `⚠ ${row.verb} — ${row.projectName}: ${row.short}`,
      enabled: true,
      toolTip: row.message,
      action: row.action,
    })),
  ];
  const notifying = rows.filter((r) => r.notify).map((r) => r.key);
  const snoozable = notifying.filter((k) => !snoozed.includes(k));
  if (snoozable.length > 0) {
    items.push({
      kind: 'item',
      id: 'attention:snooze',
      label: 'Snooze these notifications for a day',
      enabled: true,
      action: { type: 'snooze', keys: snoozable },
    });
  } else if (notifying.length > 0) {
    items.push(info('attention:snoozed', 'Notifications for these are snoozed for a day'));
  }
  items.push({ kind: 'separator', id: 'sep-attention' });
  return items;
}

function sessionLabel(s: TraySession, projects: TrayProject[], now: number): string {
  const project = projects.find((p) => p.id === s.projectId)?.displayName ?? s.projectId;
  const parts = [
    `${s.clientName} → ${project}`,
    `${plural(s.callsLastMinute, 'call')} in the last minute`,
  ];
  parts.push(
    s.lastCallAt === undefined
      ? 'no calls yet'
      : `last call ${relativeTime(new Date(s.lastCallAt).toISOString(), now)}`,
  );
  if (s.errors > 0) parts.push(`⚠ ${plural(s.errors, 'error')}`);
  return parts.join(' · ');
}

function clientsSection(state: TrayState): TrayItem[] {
  const sessions = [...(state.sessions ?? [])].sort(
    (a, b) =>
      a.clientName.localeCompare(b.clientName) ||
      a.projectId.localeCompare(b.projectId) ||
      a.sessionId.localeCompare(b.sessionId),
  );
  const now = state.now ?? Date.now();
  const items: TrayItem[] = [
    info('clients', sessions.length > 0 ? `Clients (${sessions.length})` : 'Clients: none active'),
    ...sessions.map((s): TrayItem => ({
      kind: 'item',
      id: `client:${s.sessionId}`,
      label: sessionLabel(s, state.projects, now),
      enabled: true,
      toolTip: 'Opens this session’s traffic in the audit log.',
      action: { type: 'open-audit', projectId: s.projectId, sessionId: s.sessionId },
    })),
  ];
  if (state.indexingPercent !== undefined) {
    items.push(
      info(
        'indexing',
        `Indexing audit log… ${Math.floor(state.indexingPercent)} % (figures incomplete)`,
      ),
    );
  }
  items.push({ kind: 'separator', id: 'sep-clients' });
  return items;
}

/**
 * The whole tray menu as a pure function of state: what needs the user first, then which client
 * is talking to what, then the projects. Everything is reachable from this context menu,
 * because Linux desktops ignore clicks on the tray icon itself.
 */
export function buildTrayTemplate(state: TrayState): TrayItem[] {
  const items: TrayItem[] = [
    info('header', trayTitle(state)),
    { kind: 'separator', id: 'sep-header' },
  ];
  if (state.loadError) {
    items.push(info('load-error', `⚠ ${state.loadError}`));
  } else if (state.projects.length === 0) {
    items.push(info('no-projects', 'No projects yet — open Switchboard to add one'));
  } else {
    items.push(
      ...attentionSection(attentionRows(state), state.snoozed ?? []),
      ...clientsSection(state),
    );
    items.push(
      info('projects', `Projects (${state.projects.length})`),
      ...state.projects.map(projectMenu),
    );
  }
  items.push(
    { kind: 'separator', id: 'sep-windows' },
    {
      kind: 'item',
      id: 'open',
      label: 'Open Switchboard',
      enabled: true,
      action: { type: 'open-main' },
    },
    {
      kind: 'item',
      id: 'audit-window',
      label: 'Audit window',
      enabled: true,
      action: { type: 'open-audit' },
    },
    { kind: 'separator', id: 'sep-settings' },
    {
      kind: 'item',
      id: 'launch-at-login',
      label: 'Launch at login',
      enabled: true,
      checked: state.launchAtLogin,
      action: { type: 'set-launch-at-login', enabled: !state.launchAtLogin },
    },
    { kind: 'separator', id: 'sep-quit' },
    {
      kind: 'item',
      id: 'quit',
      label: 'Quit Switchboard',
      enabled: true,
      action: { type: 'quit' },
    },
  );
  return items;
}
