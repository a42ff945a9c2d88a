import { recordLifecycleEvent } from '../audit/segment-writer.js';
import { isClientId, type ClientId } from '../clients/types.js';
import { SwitchboardError } from '../shared/errors.js';
import type { Services } from '../services.js';
import type { TestReport } from '../tester/test-connection.js';
import { testProject } from '../tester/test-project.js';
import type { ActiveSessions } from './active-sessions.js';
import type { AuthFailures } from './auth-failures.js';
import type { ShellHooks, TrayActionDeps } from './run-tray-action.js';
import type { TrayClientInfo, TraySources } from './tray-state.js';

/**
 * The tray's view of the composition root: projects, token health, installed clients, running
 * sessions. Every source but projects is optional in `collectTrayState`, and a failing one only
 * hides its own detail, so the menu keeps working whatever breaks.
 */
export function traySourcesFrom(
  services: Services,
  extra: {
    launchAtLogin?: () => boolean | Promise<boolean>;
    sessions?: Pick<ActiveSessions, 'list'>;
    authFailures?: Pick<AuthFailures, 'list'>;
  } = {},
): TraySources {
  const { sessions, launchAtLogin, authFailures } = extra;
  return {
    projects: services.projects,
    tokens: async () =>
      (await services.tokens.list()).map((t) => ({
        projectId: t.projectId,
        name: t.name,
        status: t.status,
      })),
    clients: async () =>
      (await services.clients.list()).flatMap((c): TrayClientInfo[] => {
        const installed = [
          ...new Set(c.configs.flatMap((cfg) => cfg.installed.map((e) => e.projectId))),
        ];
        // Clients not on this machine are left out unless something is installed into them.
        return c.detected || installed.length > 0
          ? [{ id: c.id, name: c.displayName, installedProjectIds: installed }]
          : [];
      }),
    ...(sessions && { sessions: () => sessions.list() }),
    ...(authFailures && { problems: () => authFailures.list() }),
    ...(launchAtLogin && { launchAtLogin }),
  };
}

/** What tray actions run against: the same services the IPC handlers and the CLI use. */
export function trayActionDepsFrom(services: Services, shell: ShellHooks): TrayActionDeps {
  return {
    projects: services.projects,
    shell,
    clients: {
      // The user scope: the tray has no project directory to install into.
      install: async (clientId, projectId) =>
        summarise(await services.clients.install(userTarget(clientId), projectId)),
      uninstall: async (clientId, projectId) =>
        summarise(await services.clients.uninstall(userTarget(clientId), projectId)),
    },
    // The same flow as `switchboard test <project>`, with the project's own credentials.
    testConnection: async (projectId) =>
      testSummary(
        await testProject({
          dataDir: services.dataDir,
          env: services.env,
          project: await services.projects.get(projectId),
        }),
      ),
    audit: {
      write: (event) =>
        void recordLifecycleEvent(services.dataDir, event, 'app').catch(() => undefined),
    },
  };
}

function userTarget(clientId: string): { client: ClientId; scope: 'user' } {
  if (!isClientId(clientId)) {
    throw new SwitchboardError('VALIDATION', `Unknown MCP client "${clientId}".`);
  }
  return { client: clientId, scope: 'user' };
}

function summarise(result: { clientName: string; restartNote: string; changed: boolean }) {
  return { clientName: result.clientName, note: result.changed ? result.restartNote : '' };
}

export function testSummary(report: TestReport): { ok: boolean; summary: string } {
  const who = report.project ?? report.url;
  if (report.ok) {
    const n = report.tools.length;
    return {
      ok: true,
      summary: `${who}: connected to ${report.server?.name ?? 'the server'}, ${n} ${n === 1 ? 'tool' : 'tools'} (${report.timings.totalMs} ms).`,
    };
  }
  return { ok: false, summary: `${who}: ${report.failure?.message ?? 'the test failed.'}` };
}
