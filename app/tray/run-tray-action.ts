import type { AuditSink } from '../audit/audit-event.js';
import type { Project } from '../projects/project.js';
import { redactSecrets } from '../shared/redact.js';
import { TrayActionSchema, findTrayItem, type TrayAction, type TrayItem } from './tray-model.js';

/** What the tray needs from the windowing shell (Electron main, or the e2e host). */
export interface ShellHooks {
  openMainWindow(): void | Promise<void>;
  /** Opens the audit window, filtered to a project when one is given. */
  openAuditWindow(filter: { projectId?: string }): void | Promise<void>;
  setLaunchAtLogin(enabled: boolean): void | Promise<void>;
  notify(notice: { title: string; body: string }): void;
  quit(): void;
}

export interface TrayActionDeps {
  projects: {
    setConnected(ref: string, connected: boolean): Promise<Project>;
  };
  /** The client-config installer (backed up, atomic, reversible); `note` says what to restart. */
  clients?: {
    install(clientId: string, projectId: string): Promise<{ clientName: string; note: string }>;
    uninstall(clientId: string, projectId: string): Promise<{ clientName: string; note: string }>;
  };
  /** `switchboard test`'s code path. */
  testConnection?: (projectId: string) => Promise<{ ok: boolean; summary: string }>;
  /** Lifecycle events (connect/disconnect from the tray) go to the audit log when present. */
  audit?: Pick<AuditSink, 'write'>;
  shell: ShellHooks;
}

export type TrayActionResult = { ok: true; message?: string } | { ok: false; message: string };

/**
 * Runs one tray action. Never throws: a failure is returned and shown as a notification, since a
 * tray click has no other place to report it.
 */
export async function runTrayAction(
  input: unknown,
  deps: TrayActionDeps,
): Promise<TrayActionResult> {
  const parsed = TrayActionSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, message: 'Unknown tray action; the menu may be out of date.' };
  }
  try {
    return await execute(parsed.data, deps);
  } catch (error) {
    const message = redactSecrets(error instanceof Error ? error.message : String(error), []);
    deps.shell.notify({ title: 'Switchboard', body: message });
    return { ok: false, message };
  }
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
    case 'install':
    case 'uninstall': {
      if (!deps.clients) {
        throw new Error('Installing into clients is not available in this build of Switchboard.');
      }
      const done = await deps.clients[action.type](action.clientId, action.projectId);
      const body = [
        action.type === 'install'
          ? `Installed into ${done.clientName}.`
          : `Removed from ${done.clientName}.`,
        done.note,
      ]
        .filter(Boolean)
        .join(' ');
      deps.shell.notify({ title: 'Switchboard', body });
      return { ok: true, message: body };
    }
    case 'test': {
      if (!deps.testConnection) {
        throw new Error('Testing connections is not available in this build of Switchboard.');
      }
      const result = await deps.testConnection(action.projectId);
      // A server's error text may echo a credential; notifications end up in OS history.
      const summary = redactSecrets(result.summary, []);
      deps.shell.notify({
        title: result.ok ? 'Connection works' : 'Connection failed',
        body: summary,
      });
      return result.ok ? { ok: true, message: summary } : { ok: false, message: summary };
    }
    case 'open-audit':
      await deps.shell.openAuditWindow(action.projectId ? { projectId: action.projectId } : {});
      return { ok: true };
    case 'open-main':
      await deps.shell.openMainWindow();
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
