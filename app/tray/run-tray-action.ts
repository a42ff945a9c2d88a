import type { AuditSink } from '../audit/audit-event.js';
import type { Project } from '../projects/project.js';
import { redactSecrets } from '../shared/redact.js';
import type { AuditTarget } from './main-route.js';
import {
  TrayActionSchema,
  findTrayItem,
  type MainTarget,
  type TrayAction,
  type TrayItem,
} from './tray-model.js';

/** A failed tray action, as the dialog shows it: what happened, and where the details are. */
export interface TrayFailure {
  title: string;
  message: string;
  /** What "Open details" does. */
  details: TrayAction;
}

/** What the tray needs from the windowing shell (Electron main, or the e2e host). */
export interface ShellHooks {
  /** Opens (or focuses) the main window, on a project, its tokens or an install preview. */
  openMainWindow(target?: MainTarget): void | Promise<void>;
  /** Opens the audit window, filtered to a project (and one of its sessions) when given. */
  openAuditWindow(filter: AuditTarget): void | Promise<void>;
  setLaunchAtLogin(enabled: boolean): void | Promise<void>;
  notify(notice: { title: string; body: string }): void;
  /** A dialog for a failed action, with "Open details" (runs `failure.details`) and "Close". */
  showFailure(failure: TrayFailure): void | Promise<void>;
  quit(): void;
}

export interface TrayActionDeps {
  projects: {
    setConnected(ref: string, connected: boolean): Promise<Project>;
  };
  /** OAuth sign-in: only ever started by a click, since it opens the browser. */
  auth?: {
    signIn(projectId: string, opts: { scopes?: string[] }): Promise<{ message: string }>;
    signOut(projectId: string): Promise<{ message: string }>;
  };
  provisioning?: { reprovision(projectId: string): Promise<{ message: string }> };
  /** Snoozes notifications for these attention keys for a day. */
  snooze?: (keys: readonly string[]) => void | Promise<void>;
  /** `switchboard test`'s code path. */
  testConnection?: (projectId: string) => Promise<{ ok: boolean; summary: string }>;
  /** Lifecycle events (connect/disconnect from the tray) go to the audit log when present. */
  audit?: Pick<AuditSink, 'write'>;
  shell: ShellHooks;
}

export type TrayActionResult = { ok: true; message?: string } | { ok: false; message: string };

const FAILED: Record<TrayAction['type'], string> = {
  connect: 'Could not connect the project',
  disconnect: 'Could not disconnect the project',
  'sign-in': 'Could not start the sign-in',
  'sign-out': 'Could not sign out',
  'grant-permission': 'Could not ask for the permission',
  reprovision: 'Could not provision the endpoint again',
  test: 'Connection test failed',
  'open-audit': 'Could not open the audit log',
  'open-main': 'Could not open Switchboard',
  snooze: 'Could not snooze the notifications',
  'set-launch-at-login': 'Could not change Launch at login',
  quit: 'Could not quit',
};

function detailsFor(action: TrayAction): TrayAction {
  if (action.type === 'test') return { type: 'open-audit', projectId: action.projectId };
  if ('projectId' in action && action.projectId) {
    return { type: 'open-main', target: { projectId: action.projectId } };
  }
  return { type: 'open-main' };
}

/** Something a dep cannot do in this build: a clear sentence, shown in the failure dialog. */
class Unavailable extends Error {}

/**
 * Runs one tray action. Never throws and never fails silently: a failure is returned and shown
 * in a dialog with "Open details", since a tray click has no other place to report it.
 */
export async function runTrayAction(
  input: unknown,
  deps: TrayActionDeps,
): Promise<TrayActionResult> {
  const parsed = TrayActionSchema.safeParse(input);
  if (!parsed.success) {
    const message = 'Unknown tray action; the menu may be out of date. Open the menu again.';
    await report(deps, { title: 'Switchboard', message, details: { type: 'open-main' } });
    return { ok: false, message };
  }
  const action = parsed.data;
  try {
    const result = await execute(action, deps);
    if (!result.ok) {
      await report(deps, {
        title: FAILED[action.type],
        message: result.message,
        details: detailsFor(action),
      });
    }
    return result;
  } catch (error) {
    const message = redactSecrets(error instanceof Error ? error.message : String(error), []);
    await report(deps, { title: FAILED[action.type], message, details: detailsFor(action) });
    return { ok: false, message };
  }
}

async function report(deps: TrayActionDeps, failure: TrayFailure): Promise<void> {
  try {
    await deps.shell.showFailure(failure);
  } catch {
    // The dialog itself failed (no display): the notification is the last resort.
    deps.shell.notify({ title: failure.title, body: failure.message });
  }
}

function need<T>(dep: T | undefined, what: string): T {
  if (!dep) throw new Unavailable(`${what} is not available in this build of Switchboard.`);
  return dep;
}

async function execute(action: TrayAction, deps: TrayActionDeps): Promise<TrayActionResult> {
  switch (action.type) {
    case 'connect':
    case 'disconnect': {
      const connected = action.type === 'connect';
      const project = await deps.projects.setConnected(action.projectId, connected);
      deps.audit?.write({
        projectId: project.id,
        projectName: project.name,
        direction: 'bridge',
        kind: action.type,
        detail: { via: 'tray' },
      });
      return {
        ok: true,
        message: connected
          ? `${project.displayName} is connected.`
          : `${project.displayName} is disconnected: its bridges refuse every request.`,
      };
    }
    case 'sign-in':
      return { ok: true, ...(await need(deps.auth, 'Signing in').signIn(action.projectId, {})) };
    case 'grant-permission':
      return {
        ok: true,
        ...(await need(deps.auth, 'Granting permission').signIn(action.projectId, {
          ...(action.scopes && { scopes: action.scopes }),
        })),
      };
    case 'sign-out':
      return { ok: true, ...(await need(deps.auth, 'Signing out').signOut(action.projectId)) };
    case 'reprovision':
      return {
        ok: true,
        ...(await need(deps.provisioning, 'Provisioning').reprovision(action.projectId)),
      };
    case 'snooze':
      await need(deps.snooze, 'Snoozing notifications')(action.keys);
      return { ok: true, message: 'Notifications snoozed for a day.' };
    case 'test': {
      const result = await need(deps.testConnection, 'Testing connections')(action.projectId);
      // A server's error text may echo a credential; notifications end up in OS history.
      const summary = redactSecrets(result.summary, []);
      if (result.ok) deps.shell.notify({ title: 'Connection works', body: summary });
      return result.ok ? { ok: true, message: summary } : { ok: false, message: summary };
    }
    case 'open-audit':
      await deps.shell.openAuditWindow({
        ...(action.projectId && { projectId: action.projectId }),
        ...(action.sessionId && { sessionId: action.sessionId }),
      });
      return { ok: true };
    case 'open-main':
      await deps.shell.openMainWindow(action.target);
      return { ok: true };
    case 'set-launch-at-login':
      await deps.shell.setLaunchAtLogin(action.enabled);
      return { ok: true };
    case 'quit':
      deps.shell.quit();
      return { ok: true };
  }
}

/**
 * "Clicks" the item with this id in a freshly built menu: the path the e2e harness and the
 * Electron test hooks use, so they exercise the same items a person sees.
 */
export async function clickTrayItem(
  items: readonly TrayItem[],
  id: string,
  deps: TrayActionDeps,
): Promise<TrayActionResult> {
  const item = findTrayItem(items, id);
  if (!item || item.kind !== 'item' || !item.action) {
    return { ok: false, message: `No clickable tray item "${id}".` };
  }
  if (!item.enabled) return { ok: false, message: `Tray item "${id}" is disabled.` };
  return runTrayAction(item.action, deps);
}
