import type { ProjectView } from '../../../app/contract/projects-contract';
import { useAppStore } from '../store';

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
  const { level, label } = projectStatus(project, tokens);
  return <StatusPill level={level} label={label} />;
}

export function StatusPill({ level, label }: { level: Level; label: string }) {
  return (
    <span className={`badge badge-${level}`}>
      <span aria-hidden="true">{ICON[level]}</span> {label}
    </span>
  );
}
