import type { ProblemKind, TrayAction, TrayProblem, TrayProject, TrayState } from './tray-model.js';

/** One "Needs attention" row: what is wrong, the verb that fixes it, and what the verb does. */
export interface AttentionRow {
  /** `<projectId>:<cause>`: one row (and one notification) per project and cause. */
  key: string;
  projectId: string;
  projectName: string;
  kind: ProblemKind;
  verb: 'Sign in' | 'Grant permission' | 'Rotate token' | 'Re-provision' | 'Reconnect';
  /** Short state, e.g. "sign-in needed". */
  short: string;
  message: string;
  action: TrayAction;
  /** Whether this is worth an OS notification (only what the user must act on soon). */
  notify: boolean;
  /** Where clicking the notification goes: never a browser, always a Switchboard window. */
  notificationTarget: TrayAction;
}

/** Causes that share a fix share a key: a 401 and a recorded "sign-in needed" are one thing. */
const CAUSE: Record<ProblemKind, string> = {
  'sign-in-needed': 'sign-in',
  'auth-failed': 'sign-in',
  'permission-needed': 'permission',
  'consent-needed': 'permission',
  'token-expired': 'token',
  'token-expiring': 'token',
  'token-revoked': 'token',
  'reprovision-needed': 'provisioning',
  'disconnected-trying': 'disconnected',
};

const SHORT: Record<ProblemKind, string> = {
  'sign-in-needed': 'sign-in needed',
  'auth-failed': 'sign-in failed',
  'permission-needed': 'permission needed',
  'consent-needed': 'consent needed',
  'token-expired': 'token expired',
  'token-revoked': 'token revoked',
  'token-expiring': 'token expiring soon',
  'reprovision-needed': 'endpoint needs re-provisioning',
  'disconnected-trying': 'disconnected, a client keeps trying',
};

/** Worst first: the row shown for a cause when a project has several problems of it. */
const SEVERITY: ProblemKind[] = [
  'sign-in-needed',
  'auth-failed',
  'token-expired',
  'token-revoked',
  'permission-needed',
  'consent-needed',
  'reprovision-needed',
  'disconnected-trying',
  'token-expiring',
];

/** Token expiring soon is notified only when nothing refreshes it (static tokens always). */
const NOTIFY: ReadonlySet<ProblemKind> = new Set<ProblemKind>([
  'sign-in-needed',
  'auth-failed',
  'permission-needed',
  'token-expired',
  'token-expiring',
  'disconnected-trying',
]);

export function problemShort(kind: ProblemKind): string {
  return SHORT[kind];
}

export function worstProblem(problems: readonly TrayProblem[]): TrayProblem | undefined {
  return [...problems].sort((a, b) => SEVERITY.indexOf(a.kind) - SEVERITY.indexOf(b.kind))[0];
}

function verbFor(
  project: TrayProject,
  problem: TrayProblem,
): Pick<AttentionRow, 'verb' | 'action' | 'notificationTarget'> {
  const id = project.id;
  const overview: TrayAction = { type: 'open-main', target: { projectId: id } };
  const tokens: TrayAction = { type: 'open-main', target: { projectId: id, view: 'tokens' } };
  switch (problem.kind) {
    case 'sign-in-needed':
      return {
        verb: 'Sign in',
        action: { type: 'sign-in', projectId: id },
        notificationTarget: overview,
      };
    case 'auth-failed':
      // A bridge's 401: OAuth projects sign in again, token projects need a new token.
      return project.authKind === 'oauth'
        ? {
            verb: 'Sign in',
            action: { type: 'sign-in', projectId: id },
            notificationTarget: overview,
          }
        : { verb: 'Rotate token', action: tokens, notificationTarget: tokens };
    case 'permission-needed':
      return {
        verb: 'Grant permission',
        action: {
          type: 'grant-permission',
          projectId: id,
          ...(problem.scopes?.length && { scopes: problem.scopes }),
        },
        notificationTarget: overview,
      };
    case 'consent-needed':
      return { verb: 'Grant permission', action: overview, notificationTarget: overview };
    case 'token-expired':
    case 'token-expiring':
    case 'token-revoked':
      return { verb: 'Rotate token', action: tokens, notificationTarget: tokens };
    case 'reprovision-needed':
      return {
        verb: 'Re-provision',
        action: { type: 'reprovision', projectId: id },
        notificationTarget: overview,
      };
    case 'disconnected-trying':
      return {
        verb: 'Reconnect',
        action: { type: 'connect', projectId: id },
        notificationTarget: overview,
      };
  }
}

/**
 * The "Needs attention" rows of a state: one per project and cause (the worst problem of that
 * cause speaks for it), in project order. Nothing that needs no action by the user is here.
 */
export function attentionRows(state: TrayState): AttentionRow[] {
  const rows: AttentionRow[] = [];
  for (const project of state.projects) {
    const byCause = new Map<string, TrayProblem[]>();
    for (const problem of project.problems) {
      const cause = CAUSE[problem.kind];
      byCause.set(cause, [...(byCause.get(cause) ?? []), problem]);
    }
    for (const [cause, problems] of byCause) {
      const problem = worstProblem(problems)!;
      rows.push({
        key: `${project.id}:${cause}`,
        projectId: project.id,
        projectName: project.displayName,
        kind: problem.kind,
        short: SHORT[problem.kind],
        message: problem.message,
        notify: NOTIFY.has(problem.kind),
        ...verbFor(project, problem),
      });
    }
  }
  return rows;
}
