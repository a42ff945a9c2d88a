import type { MainTarget } from './tray-model.js';

/** What the audit window opens on: everything, a project, or one bridge session of it. */
export interface AuditTarget {
  projectId?: string;
  sessionId?: string;
}

/** The audit window's route (a hash without `#`): `/audit?project=<id>&session=<id>`. */
export function auditRoute(target: AuditTarget = {}): string {
  const q = new URLSearchParams();
  if (target.projectId) q.set('project', target.projectId);
  if (target.sessionId) q.set('session', target.sessionId);
  const query = q.toString();
  return query ? `/audit?${query}` : '/audit';
}

/**
 * The main window's route for a target, as a location hash without `#`:
 * `/project?id=<id>&view=install&client=cursor&op=install`. The renderer reads it
 * (renderer/src/main-route.ts) to select the project and open the right panel or preview.
 */
export function mainRoute(target?: MainTarget): string {
  if (!target) return '';
  const q = new URLSearchParams({ id: target.projectId });
  if (target.view) q.set('view', target.view);
  if (target.clientId) q.set('client', target.clientId);
  if (target.operation) q.set('op', target.operation);
  // A counter-free route would not fire hashchange when the same preview is asked for twice.
  q.set('at', String(Date.now()));
  return `/project?${q.toString()}`;
}
