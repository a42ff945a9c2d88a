import { useCallback, useEffect } from 'react';
import { ActivityChart } from '../charts/ActivityChart';
import { connectAudit, useAuditStore } from './audit-store';
import { useAuditRouteProject, useAuditRouteSession } from './route';
import { DetailPane } from './DetailPane';
import { FilterBar } from './FilterBar';
import { SessionsSidebar } from './SessionsSidebar';
import { Timeline } from './Timeline';
import './audit.css';

/** The audit window (route `#/audit`): sessions, live timeline, request/response detail. */
export function AuditWindow() {
  const notice = useAuditStore((s) => s.notice);
  const error = useAuditStore((s) => s.error);
  const filterProject = useAuditStore((s) => s.filter.project);
  // A click on the chart narrows the timeline to that minute (or hour, over 7 days).
  const pickMinute = useCallback((span: { since: string; until: string }) => {
    const { filter, setFilter } = useAuditStore.getState();
    const { preset: _preset, ...rest } = filter;
    void setFilter({ ...rest, since: span.since, until: span.until });
  }, []);

  const project = useAuditRouteProject();
  const session = useAuditRouteSession();

  useEffect(() => connectAudit(), []);

  // Opened for one project or one session (a tray Clients row; main may re-point an open
  // window): start from that project and session.
  useEffect(() => {
    const { filter, setFilter } = useAuditStore.getState();
    const { project: _old, session: _oldSession, ...rest } = filter;
    void setFilter({ ...rest, ...(project && { project }), ...(session && { session }) });
  }, [project, session]);

  return (
    <div className="audit-window">
      <header className="audit-header">
        <h1>Audit log</h1>
        <a href="#/" className="audit-back">
          Back to projects
        </a>
      </header>
      <ActivityChart {...(filterProject && { project: filterProject })} onPick={pickMinute} />
      <FilterBar />
      {(notice || error) && (
        <p
          className={error ? 'audit-notice bad' : 'audit-notice'}
          role={error ? 'alert' : 'status'}
        >
          {error ?? notice}
        </p>
      )}
      <div className="audit-body">
        <SessionsSidebar />
        <Timeline />
        <DetailPane />
      </div>
    </div>
  );
}
