import type { Project } from '../projects/project.js';
import type { TokenStatus, TrayClient, TrayProblem, TrayProject, TrayState } from './tray-model.js';

/** A token as the tray needs it (metadata only; values never come near the tray). */
export interface TrayTokenInfo {
  projectId: string;
  name: string;
  status: TokenStatus;
}

/** A running bridge session (from the audit store: a session-start without its session-end). */
export interface TraySessionInfo {
  projectId: string;
  clientName: string;
}

/** A client found on this machine and the projects installed into it. */
export interface TrayClientInfo {
  id: string;
  name: string;
  installedProjectIds: string[];
}

/** A problem reported by another part (auth failure from a bridge, consent waiting). */
export interface TrayProblemInfo {
  projectId: string;
  kind: 'auth-failed' | 'consent-needed';
  message: string;
}

/**
 * Where the tray state comes from. Only projects are required; every other source is optional,
 * so the tray works with whatever parts of the app exist, and a failing source costs only its
 * own detail (the menu still shows projects).
 */
export interface TraySources {
  projects: { list(): Promise<Project[]> };
  tokens?: () => Promise<TrayTokenInfo[]>;
  sessions?: () => Promise<TraySessionInfo[]>;
  clients?: () => Promise<TrayClientInfo[]>;
  problems?: () => Promise<TrayProblemInfo[]>;
  launchAtLogin?: () => boolean | Promise<boolean>;
}

async function optional<T>(source: (() => T | Promise<T>) | undefined, fallback: T): Promise<T> {
  if (!source) return fallback;
  try {
    return await source();
  } catch {
    return fallback;
  }
}

export async function collectTrayState(sources: TraySources): Promise<TrayState> {
  const [projectsResult, tokens, sessions, clients, problems, launchAtLogin] = await Promise.all([
    sources.projects.list().then(
      (list) => ({ ok: true as const, list }),
      (error: unknown) => ({ ok: false as const, error }),
    ),
    optional(sources.tokens, []),
    optional(sources.sessions, []),
    optional(sources.clients, []),
    optional(sources.problems, []),
    optional(sources.launchAtLogin, false),
  ]);
  if (!projectsResult.ok) {
    const reason =
      projectsResult.error instanceof Error ? projectsResult.error.message : 'unknown error';
    return {
      projects: [],
      launchAtLogin,
      loadError: `Projects cannot be read: ${reason} Open Switchboard for details.`,
    };
  }
  return {
    projects: projectsResult.list.map((project) =>
      trayProject(project, tokens, sessions, clients, problems),
    ),
    launchAtLogin,
  };
}

function trayProject(
  project: Project,
  tokens: TrayTokenInfo[],
  sessions: TraySessionInfo[],
  clients: TrayClientInfo[],
  problems: TrayProblemInfo[],
): TrayProject {
  const counts: Record<string, number> = {};
  for (const s of sessions) {
    if (s.projectId === project.id) counts[s.clientName] = (counts[s.clientName] ?? 0) + 1;
  }
  const trayClients: TrayClient[] = clients.map((c) => ({
    id: c.id,
    name: c.name,
    installed: c.installedProjectIds.includes(project.id),
  }));
  return {
    id: project.id,
    name: project.name,
    displayName: project.displayName,
    connected: project.connected,
    problems: [
      ...tokenProblems(
        project,
        tokens.filter((t) => t.projectId === project.id),
      ),
      ...problems
        .filter((p) => p.projectId === project.id)
        .map((p) => ({ kind: p.kind, message: p.message })),
    ],
    sessions: counts,
    clients: trayClients,
  };
}

/**
 * A token problem matters only when the project has no usable token left: an old expired token
 * next to a fresh active one is history, not an alarm. Expiring-soon warns while nothing newer
 * is active.
 */
function tokenProblems(project: Project, tokens: TrayTokenInfo[]): TrayProblem[] {
  if (tokens.some((t) => t.status === 'active')) return [];
  const name = project.displayName;
  const expiring = tokens.find((t) => t.status === 'expiring-soon');
  if (expiring) {
    return [
      {
        kind: 'token-expiring',
        message: `Token "${expiring.name}" of ${name} expires soon — rotate it in Switchboard.`,
      },
    ];
  }
  const expired = tokens.find((t) => t.status === 'expired');
  if (expired) {
    return [
      {
        kind: 'token-expired',
        message: `Token "${expired.name}" of ${name} expired — rotate it in Switchboard.`,
      },
    ];
  }
  const revoked = tokens.find((t) => t.status === 'revoked');
  if (revoked && project.auth !== 'none') {
    return [
      {
        kind: 'token-revoked',
        message: `Token "${revoked.name}" of ${name} was revoked — add or mint a new one in Switchboard.`,
      },
    ];
  }
  return [];
}
