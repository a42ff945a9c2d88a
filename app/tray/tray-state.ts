import type { Project } from '../projects/project.js';
import type {
  TokenStatus,
  TrayAuthStatus,
  TrayClient,
  TrayProblem,
  TrayProject,
  TraySession,
  TrayState,
} from './tray-model.js';

/** A token as the tray needs it (metadata only; values never come near the tray). */
export interface TrayTokenInfo {
  projectId: string;
  name: string;
  status: TokenStatus;
}

/** A running bridge session (from the audit store: a session-start without its session-end). */
export type TraySessionInfo = TraySession;

/** A client found on this machine and the projects installed into it. */
export interface TrayClientInfo {
  id: string;
  name: string;
  installedProjectIds: string[];
}

/** A problem reported by another part (a bridge's auth failure or refusal, consent waiting). */
export interface TrayProblemInfo {
  projectId: string;
  kind: 'auth-failed' | 'consent-needed' | 'disconnected-trying';
  message: string;
  /** disconnected-trying: who kept trying and how often, to word it with the project's name. */
  tries?: { client?: string; count: number };
}

function triesMessage(project: Project, tries: NonNullable<TrayProblemInfo['tries']>): string {
  const times = tries.count === 1 ? 'once' : `${tries.count} times`;
  return `${tries.client ?? 'A client'} tried ${project.displayName} ${times} while it is disconnected — reconnect it if that is wanted.`;
}

/** A project's recorded sign-in state (OAuth). */
export interface TrayAuthInfo extends TrayAuthStatus {
  projectId: string;
  /** Why, in words a person can act on (from auth-status.json). */
  message?: string;
}

/** A provisioned project's endpoint: per-tenant, or the shared URL and why. */
export interface TrayEndpointInfo {
  projectId: string;
  /** As shown: `per-tenant`, `shared (no consent)`, `shared (provisioning failed: …)`, … */
  endpoint: string;
  /** The per-tenant endpoint failed and provisioning it again would fix it. */
  needsReprovision?: boolean;
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
  auth?: () => Promise<TrayAuthInfo[]>;
  endpoints?: () => Promise<TrayEndpointInfo[]>;
  /** Percent done while the audit index builds; undefined once it is complete. */
  indexing?: () => number | undefined | Promise<number | undefined>;
  launchAtLogin?: () => boolean | Promise<boolean>;
  now?: () => number;
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
  const now = sources.now?.() ?? Date.now();
  const [projectsResult, tokens, sessions, clients, problems, auth, endpoints, indexing, login] =
    await Promise.all([
      sources.projects.list().then(
        (list) => ({ ok: true as const, list }),
        (error: unknown) => ({ ok: false as const, error }),
      ),
      optional(sources.tokens, []),
      optional(sources.sessions, []),
      optional(sources.clients, []),
      optional(sources.problems, []),
      optional(sources.auth, []),
      optional(sources.endpoints, []),
      optional<number | undefined>(sources.indexing, undefined),
      optional(sources.launchAtLogin, false),
    ]);
  const base = {
    launchAtLogin: login,
    now,
    ...(indexing !== undefined && { indexingPercent: indexing }),
  };
  if (!projectsResult.ok) {
    const reason =
      projectsResult.error instanceof Error ? projectsResult.error.message : 'unknown error';
    return {
      ...base,
      projects: [],
      sessions: [],
      loadError: `Projects cannot be read: ${reason} Open Switchboard for details.`,
    };
  }
  const known = new Set(projectsResult.list.map((p) => p.id));
  return {
    ...base,
    projects: projectsResult.list.map((project) =>
      trayProject(project, { tokens, sessions, clients, problems, auth, endpoints }),
    ),
    sessions: sessions.filter((s) => known.has(s.projectId)),
  };
}

interface Inputs {
  tokens: TrayTokenInfo[];
  sessions: TraySessionInfo[];
  clients: TrayClientInfo[];
  problems: TrayProblemInfo[];
  auth: TrayAuthInfo[];
  endpoints: TrayEndpointInfo[];
}

function trayProject(project: Project, input: Inputs): TrayProject {
  const counts: Record<string, number> = {};
  for (const s of input.sessions) {
    if (s.projectId === project.id) counts[s.clientName] = (counts[s.clientName] ?? 0) + 1;
  }
  const trayClients: TrayClient[] = input.clients.map((c) => ({
    id: c.id,
    name: c.name,
    installed: c.installedProjectIds.includes(project.id),
  }));
  const auth = input.auth.find((a) => a.projectId === project.id);
  const endpoint = input.endpoints.find((e) => e.projectId === project.id);
  const reported = input.problems
    .filter((p) => p.projectId === project.id)
    // "A client keeps trying" matters only while the kill switch is still on.
    .filter((p) => p.kind !== 'disconnected-trying' || !project.connected)
    .map((p): TrayProblem => ({
      kind: p.kind,
      message: p.tries ? triesMessage(project, p.tries) : p.message,
    }));
  return {
    id: project.id,
    name: project.name,
    displayName: project.displayName,
    connected: project.connected,
    authKind: project.auth,
    ...(auth && {
      auth: { state: auth.state, ...(auth.scopes && { scopes: auth.scopes }) },
    }),
    ...(endpoint && { endpoint: endpoint.endpoint }),
    problems: [
      ...authProblems(project, auth),
      ...tokenProblems(
        project,
        input.tokens.filter((t) => t.projectId === project.id),
      ),
      ...(endpoint?.needsReprovision
        ? [
            {
              kind: 'reprovision-needed' as const,
              message: `${project.displayName} fell back to the shared endpoint: ${endpoint.endpoint} — provision it again.`,
            },
          ]
        : []),
      ...reported,
    ],
    sessions: counts,
    clients: trayClients,
  };
}

function authProblems(project: Project, auth: TrayAuthInfo | undefined): TrayProblem[] {
  const name = project.displayName;
  if (auth?.state === 'sign-in-needed') {
    return [
      {
        kind: 'sign-in-needed',
        message: `${name}: sign-in needed — ${auth.message ?? 'sign in again.'}`,
      },
    ];
  }
  if (auth?.state === 'permission-needed') {
    const scopes = auth.scopes?.length ? ` (${auth.scopes.join(', ')})` : '';
    return [
      {
        kind: 'permission-needed',
        message: `${name} asks for more permission${scopes} — ${auth.message ?? 'grant it to continue.'}`,
        ...(auth.scopes?.length && { scopes: auth.scopes }),
      },
    ];
  }
  return [];
}

/**
 * A token problem matters only when the project has no usable token left: an old expired token
 * next to a fresh active one is history, not an alarm. Expiring-soon warns while nothing newer
 * is active. OAuth projects refresh their own tokens: their state comes from `auth` instead.
 */
function tokenProblems(project: Project, tokens: TrayTokenInfo[]): TrayProblem[] {
  if (project.auth === 'oauth') return [];
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
