import { useEffect, useRef } from 'react';
import { useAuditStore } from './audit-store';

/** Bridge sessions grouped project → client → session; picking one filters the timeline. */
export function SessionsSidebar() {
  const sessions = useAuditStore((s) => s.sessions);
  const filter = useAuditStore((s) => s.filter);
  const setFilter = useAuditStore((s) => s.setFilter);
  const refresh = useAuditStore((s) => s.refreshSessions);
  const version = useAuditStore((s) => s.liveVersion);

  // New events may start new sessions: refresh on arrival, at most once every 2 s.
  const last = useRef(0);
  useEffect(() => {
    const wait = Math.max(0, last.current + 2000 - Date.now());
    const t = setTimeout(() => {
      last.current = Date.now();
      void refresh();
    }, wait);
    return () => clearTimeout(t);
  }, [version, refresh]);

  const pick = (session: string | undefined) => {
    const { session: _old, ...rest } = filter;
    void setFilter(session ? { ...rest, session } : rest);
  };

  return (
    <nav className="audit-sessions" aria-label="Sessions">
      <button
        type="button"
        className="audit-session-all"
        aria-current={filter.session ? undefined : 'true'}
        onClick={() => pick(undefined)}
      >
        All sessions
      </button>
      {sessions.length === 0 && (
        <p className="muted audit-sessions-empty">No bridge sessions yet.</p>
      )}
      <ul className="audit-tree">
        {sessions.map((p) => (
          <li key={p.projectId}>
            <span className="audit-tree-project">{p.projectName ?? p.projectId}</span>
            <ul>
              {p.clients.map((c) => (
                <li key={c.client}>
                  <span className="audit-tree-client">{c.client}</span>
                  <ul>
                    {c.sessions.map((s) => (
                      <li key={s.segment}>
                        <button
                          type="button"
                          className="audit-tree-session"
                          aria-current={filter.session === s.sessionId ? 'true' : undefined}
                          title={s.sessionId}
                          onClick={() => pick(s.sessionId)}
                        >
                          <span>{new Date(s.start).toLocaleString()}</span>
                          <span className="muted">
                            {s.events} events
                            {s.errors ? ` · ${s.errors} errors` : ''}
                          </span>
                        </button>
                      </li>
                    ))}
                  </ul>
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </nav>
  );
}
