import { recordLifecycleEvent } from '../audit/segment-writer.js';
import { readAuthStatuses } from '../oauth/auth-status.js';
import { failedReason } from '../provisioning/endpoint.js';
import type { Services } from '../services.js';
import type { TestReport } from '../tester/test-connection.js';
import { testProject } from '../tester/test-project.js';
import type { ActiveSessions } from './active-sessions.js';
import type { AuthFailures } from './auth-failures.js';
import type { DisconnectedAttempts } from './disconnected-attempts.js';
import type { ShellHooks, TrayActionDeps } from './run-tray-action.js';
import type { TrayAuthInfo, TrayClientInfo, TrayEndpointInfo, TraySources } from './tray-state.js';

/** The reason a provisioned project's endpoint carries when provisioning failed. */
const FAILED_PREFIX = failedReason('').replace(/\)$/, '');

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
    disconnectedAttempts?: Pick<DisconnectedAttempts, 'list'>;
    /** OAuth sign-in states; by default read from auth-status.json. */
    auth?: () => Promise<TrayAuthInfo[]>;
    /** Provisioned endpoints (per-tenant or shared, and why); by default the provisioning service. */
    endpoints?: () => Promise<TrayEndpointInfo[]>;
    /** Percent done while the audit index builds; by default the audit store's progress. */
    indexing?: () => number | undefined;
  } = {},
): TraySources {
  const { sessions, launchAtLogin, authFailures, disconnectedAttempts } = extra;
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
    problems: async () => {
      const lists = await Promise.all([
        authFailures?.list() ?? [],
        disconnectedAttempts?.list() ?? [],
      ]);
      return lists.flat();
    },
    // Provisioned projects' endpoints (per-tenant, or shared and why), read-only.
    endpoints:
      extra.endpoints ??
      (async () =>
        (await services.provisioning.statusAll()).map((s) => ({
          projectId: s.projectId,
          endpoint: s.reason,
          ...(s.reason.startsWith(FAILED_PREFIX) && { needsReprovision: true }),
        }))),
    // Sign-in states as bridges and the OAuth flow record them (auth-status.json).
    auth:
      extra.auth ??
      (async () =>
        [...(await readAuthStatuses(services.dataDir))].map(([projectId, a]) => ({
          projectId,
          state: a.status,
          ...(a.scopes && { scopes: a.scopes }),
          ...(a.message && { message: a.message }),
        }))),
    // While the audit index builds, per-client figures are incomplete: the menu says so.
    indexing:
      extra.indexing ??
      (() => {
        const p = services.audit.progress();
        return p.ready ? undefined : p.percent;
      }),
    ...(launchAtLogin && { launchAtLogin }),
  };
}

/** What tray actions run against: the same services the IPC handlers and the CLI use. */
export function trayActionDepsFrom(
  services: Services,
  shell: ShellHooks,
  extra: Pick<TrayActionDeps, 'auth' | 'provisioning' | 'snooze'> = {},
): TrayActionDeps {
  return {
    // Provisioning again uses the consent already given; without one it refuses, and the
    // failure dialog's "Open details" leads to the window, where the consent dialog is.
    provisioning: {
      reprovision: async (projectId) => {
        const s = await services.provisioning.provision(projectId);
        return { message: `${s.projectName} now uses ${s.reason}.` };
      },
    },
    // The browser opens only after the consent dialog, which is in the window: the tray runs the
    // discovery (so an unreachable or misconfigured server fails here, in the tray's dialog) and
    // then takes the user to the project, where Sign in shows the consent.
    auth: {
      signIn: async (projectId, opts) => {
        const project = await services.projects.get(projectId);
        await services.oauth.preview(project.id, opts.scopes);
        await shell.openMainWindow({ projectId: project.id });
        return { message: `Confirm the sign-in to ${project.displayName} in its window.` };
      },
      signOut: async (projectId) => {
        const project = await services.projects.get(projectId);
        const { revocationError } = await services.oauth.signOut(project.id);
        return {
          message: revocationError
            ? `Signed out of ${project.displayName}; the server did not confirm the revocation (${revocationError}).`
            : `Signed out of ${project.displayName}.`,
        };
      },
    },
    ...extra,
    projects: services.projects,
    shell,
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
