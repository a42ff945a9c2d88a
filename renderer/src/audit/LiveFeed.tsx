import { useEffect } from 'react';
import { connectAudit, liveRows, useAuditStore } from './audit-store';
import { clockTime, isError, summary } from './format';
import './audit.css';

const SHOWN = 12;

/** The main window's compact feed: the newest events, updated live (one render per batch). */
export function LiveFeed() {
  useEffect(() => connectAudit(), []);
  // Selecting the version (a number) re-renders once per pushed batch; rows are read directly.
  useAuditStore((s) => s.liveVersion);
  const rows = liveRows.slice(-SHOWN).reverse();

  return (
    <section className="live-feed" aria-labelledby="live-feed-title">
      <div className="live-feed-head">
        <h2 id="live-feed-title" className="section-title">
          Recent activity
        </h2>
        <a className="live-feed-open" href="#/audit">
          Open audit log
        </a>
      </div>
      {rows.length === 0 ? (
        <p className="muted live-feed-empty">
          No activity yet. Events appear here as soon as a client uses a project through the bridge.
        </p>
      ) : (
        <ol className="live-feed-list" aria-label="Recent audit events" aria-live="polite">
          {rows.map((r) => (
            <li key={r.ref} className="live-feed-row" data-testid="live-feed-row">
              <time dateTime={r.ts} className="audit-time">
                {clockTime(r.ts)}
              </time>
              <span className="live-feed-project">{r.projectName ?? r.projectId}</span>
              <span className="live-feed-summary">{summary(r)}</span>
              {isError(r) ? (
                <span className="badge badge-bad">error</span>
              ) : r.status === 'ok' ? (
                <span className="badge badge-ok">ok</span>
              ) : (
                <span className="badge badge-off">{r.kind}</span>
              )}
              <span className="audit-duration">
                {r.durationMs !== undefined ? `${Math.round(r.durationMs)} ms` : ''}
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
