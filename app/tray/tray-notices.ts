import type { ProblemKind, TrayState } from './tray-model.js';

export interface TrayNotice {
  /** Stable per project and problem, so the shell can replace rather than stack notifications. */
  key: string;
  title: string;
  body: string;
}

const TITLES: Record<ProblemKind, string> = {
  'token-expiring': 'Token expiring soon',
  'token-expired': 'Token expired',
  'token-revoked': 'Token revoked',
  'auth-failed': 'Sign-in to an MCP server failed',
  'consent-needed': 'Switchboard needs your consent',
};

/**
 * The notifications to show when the state moves from `prev` to `next`: one per problem that is
 * new (a problem that persists across rebuilds is announced once). `prev` undefined means the
 * app just started, and every current problem is new.
 */
export function trayNotices(prev: TrayState | undefined, next: TrayState): TrayNotice[] {
  const seen = new Set(
    (prev?.projects ?? []).flatMap((p) => p.problems.map((problem) => `${p.id}:${problem.kind}`)),
  );
  return next.projects.flatMap((p) =>
    p.problems
      .filter((problem) => !seen.has(`${p.id}:${problem.kind}`))
      .map((problem) => ({
        key: `${p.id}:${problem.kind}`,
        title: TITLES[problem.kind],
        body: problem.message,
      })),
  );
}
