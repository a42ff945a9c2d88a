import type {
  AggregateStatus,
  TrayItem,
  TrayProblem,
  TrayProject,
  TrayState,
} from './tray-model.js';

/**
 * The icon state: "attention" when anything needs the user (a token expiring or expired, an
 * auth failure, pending consent, unreadable projects); otherwise "connected" when at least one
 * project is connected, "disconnected" when none is (including when there are no projects).
 */
export function aggregateStatus(state: TrayState): AggregateStatus {
  if (state.loadError || state.projects.some((p) => p.problems.length > 0)) return 'attention';
  return state.projects.some((p) => p.connected) ? 'connected' : 'disconnected';
}

/** One line for the tooltip and the menu header; says the state in words, not only by colour. */
export function trayTitle(state: TrayState): string {
  if (state.loadError) return 'Switchboard — projects cannot be read';
  const total = state.projects.length;
  if (total === 0) return 'Switchboard — no projects yet';
  const on = state.projects.filter((p) => p.connected).length;
  const attention = state.projects.filter((p) => p.problems.length > 0).length;
  const base = `Switchboard — ${on} of ${total} ${total === 1 ? 'project' : 'projects'} connected`;
  return attention > 0 ? `${base}, ${attention} need${attention === 1 ? 's' : ''} attention` : base;
}

/** Status as text and symbol (never colour alone): "Connected", "Disconnected", "Token expired". */
export function projectStatusText(project: TrayProject): { symbol: string; text: string } {
  const first = worstProblem(project.problems);
  if (first) return { symbol: '⚠', text: PROBLEM_SHORT[first.kind] };
  return project.connected
    ? { symbol: '●', text: 'Connected' }
    : { symbol: '○', text: 'Disconnected' };
}

const PROBLEM_SHORT: Record<TrayProblem['kind'], string> = {
  'token-expired': 'Token expired',
  'token-revoked': 'Token revoked',
  'auth-failed': 'Sign-in failed',
  'consent-needed': 'Consent needed',
  'token-expiring': 'Token expiring soon',
};
const PROBLEM_ORDER = Object.keys(PROBLEM_SHORT) as TrayProblem['kind'][];

function worstProblem(problems: TrayProblem[]): TrayProblem | undefined {
  return [...problems].sort(
    (a, b) => PROBLEM_ORDER.indexOf(a.kind) - PROBLEM_ORDER.indexOf(b.kind),
  )[0];
}

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

function projectMenu(project: TrayProject): TrayItem {
  const p = `project:${project.id}`;
  const status = projectStatusText(project);
  const total = Object.values(project.sessions).reduce((a, b) => a + b, 0);
  const items: TrayItem[] = [
    info(`${p}:status`, `Status: ${status.text}`),
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
              label: client.name,
              enabled: true,
              checked: client.installed,
              action: client.installed
                ? { type: 'uninstall' as const, projectId: project.id, clientId: client.id }
                : { type: 'install' as const, projectId: project.id, clientId: client.id },
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
      label: 'Open audit',
      enabled: true,
      action: { type: 'open-audit', projectId: project.id },
    },
  ];
  const suffix = total > 0 ? ` · ${total} ${total === 1 ? 'session' : 'sessions'}` : '';
  return {
    kind: 'submenu',
    id: p,
    label: `${status.symbol} ${project.displayName} — ${status.text}${suffix}`,
    enabled: true,
    items,
  };
}

/**
 * The whole tray menu as a pure function of state. Everything is reachable from this context
 * menu, because Linux desktops ignore clicks on the tray icon itself.
 */
export function buildTrayTemplate(state: TrayState): TrayItem[] {
  const items: TrayItem[] = [
    info('header', trayTitle(state)),
    { kind: 'separator', id: 'sep-projects' },
  ];
  if (state.loadError) {
    items.push(info('load-error', `⚠ ${state.loadError}`));
  } else if (state.projects.length === 0) {
    items.push(info('no-projects', 'No projects yet — open Switchboard to add one'));
  } else {
    items.push(...state.projects.map(projectMenu));
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
