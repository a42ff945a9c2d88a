import type { ProjectView } from '../../../app/contract/projects-contract';
import { useAppStore } from '../store';
import { useAuthStatus } from './use-auth-statuses';

type Level = 'ok' | 'warn' | 'bad' | 'off';

/** One status per project, as colour, icon and words: never colour alone. */
export function projectStatus(
  project: ProjectView,
  tokens: { projectId: string; kind: string; status: string }[],
): { level: Level; label: string } {
  if (!project.connected) return { level: 'off', label: 'Disconnected' };
  if (project.auth === 'bearer') {
    const mine = tokens.filter((t) => t.projectId === project.id && t.kind === 'bearer');
    if (mine.some((t) => t.status === 'active')) return { level: 'ok', label: 'Connected' };
    if (mine.some((t) => t.status === 'expiring-soon'))
      return { level: 'warn', label: 'Token expiring' };
    if (mine.some((t) => t.status === 'expired')) return { level: 'bad', label: 'Token expired' };
    return { level: 'bad', label: 'No token' };
  }
  return { level: 'ok', label: 'Connected' };
}

const ICON: Record<Level, string> = { ok: '●', warn: '▲', bad: '✕', off: '○' };

export function ProjectStatus({ project }: { project: ProjectView }) {
  const tokens = useAppStore((s) => s.tokens);
  const auth = useAuthStatus(project.id);
  const { level, label } =
    project.connected && project.auth === 'oauth' && auth
      ? oauthStatus(auth)
      : projectStatus(project, tokens);
  return <StatusPill level={level} label={label} />;
}

/** OAuth projects: what bridges and sign-ins recorded (a 403 is never shown as "expired"). */
function oauthStatus(auth: { status: string; scopes?: string[] }): { level: Level; label: string } {
  if (auth.status === 'sign-in-needed') return { level: 'bad', label: 'Sign-in needed' };
  if (auth.status === 'permission-needed') {
    return { level: 'warn', label: `Permission needed: ${(auth.scopes ?? []).join(' ')}`.trim() };
  }
  return { level: 'ok', label: 'Signed in' };
}

export function StatusPill({ level, label }: { level: Level; label: string }) {
  return (
    <span className={`badge badge-${level}`}>
      <span aria-hidden="true">{ICON[level]}</span> {label}
    </span>
  );
}
