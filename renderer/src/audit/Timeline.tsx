import { useLayoutEffect, useRef, type KeyboardEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { timelineRows, useAuditStore } from './audit-store';
import { clockTime, DIRECTION_LABEL, isError, summary } from './format';

const ROW_HEIGHT = 30;

/**
 * The virtualized event list, oldest at the top. It follows the tail while the user is at the
 * bottom and stays put once they scroll up; reaching the top loads older events.
 */
export function Timeline() {
  const version = useAuditStore((s) => s.version);
  const prepended = useAuditStore((s) => s.prepended);
  const selectedRef = useAuditStore((s) => s.selectedRef);
  const loading = useAuditStore((s) => s.loading);
  const hasOlder = useAuditStore((s) => s.olderCursor !== undefined);
  const select = useAuditStore((s) => s.select);
  const loadOlder = useAuditStore((s) => s.loadOlder);
  const scrollRef = useRef<HTMLDivElement>(null);
  const following = useRef(true);

  const count = timelineRows.length;
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    getItemKey: (i) => timelineRows[i]?.ref ?? i,
  });

  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    if (prepended.version === version && prepended.count > 0) {
      // Older rows went in above: keep the same rows under the user's eyes.
      el.scrollTop += prepended.count * ROW_HEIGHT;
    } else if (following.current && count > 0) {
      virtualizer.scrollToIndex(count - 1, { align: 'end' });
    }
  }, [version, prepended, count, virtualizer]);

  const selectedIndex = selectedRef ? timelineRows.findIndex((r) => r.ref === selectedRef) : -1;

  const moveTo = (index: number) => {
    if (count === 0) return;
    const i = Math.max(0, Math.min(count - 1, index));
    select(timelineRows[i]!.ref);
    following.current = i === count - 1;
    virtualizer.scrollToIndex(i, { align: 'auto' });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 300) / ROW_HEIGHT) - 1);
    const from = selectedIndex === -1 ? count : selectedIndex;
    const moves: Record<string, () => void> = {
      ArrowDown: () => moveTo(selectedIndex === -1 ? count - 1 : from + 1),
      ArrowUp: () => moveTo(from - 1),
      PageDown: () => moveTo(from + page),
      PageUp: () => moveTo(from - page),
      Home: () => moveTo(0),
      End: () => moveTo(count - 1),
      Escape: () => select(undefined),
    };
    const move = moves[e.key];
    if (move) {
      e.preventDefault();
      move();
    }
  };

  return (
    <div className="audit-timeline-wrap">
      <div
        ref={scrollRef}
        className="audit-timeline"
        role="listbox"
        tabIndex={0}
        aria-label="Audit events"
        aria-busy={loading}
        aria-activedescendant={selectedIndex >= 0 ? `audit-row-${selectedIndex}` : undefined}
        onKeyDown={onKeyDown}
        onScroll={(e) => {
          const el = e.currentTarget;
          following.current = el.scrollTop + el.clientHeight >= el.scrollHeight - ROW_HEIGHT / 2;
          if (el.scrollTop < ROW_HEIGHT * 2 && hasOlder) void loadOlder();
        }}
      >
        {count === 0 && !loading && (
          <p className="muted audit-timeline-empty" role="status">
            No events match. Events appear live as clients talk through the bridge.
          </p>
        )}
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const row = timelineRows[item.index];
            if (!row) return null;
            const selected = row.ref === selectedRef;
            return (
              <div
                key={item.key}
                id={`audit-row-${item.index}`}
                role="option"
                aria-selected={selected}
                data-testid="audit-row"
                className={`audit-row${selected ? ' selected' : ''}${isError(row) ? ' is-error' : ''}`}
                title={`${row.kind}${row.client ? ` · ${row.client.name}` : ''}`}
                style={{ height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
                onClick={() => {
                  select(row.ref);
                  following.current = item.index === count - 1;
                }}
              >
                <time dateTime={row.ts} className="audit-time">
                  {clockTime(row.ts)}
                </time>
                <span className="audit-dir" title={DIRECTION_LABEL[row.direction]}>
                  {row.direction === 'client->server'
                    ? '→'
                    : row.direction === 'server->client'
                      ? '←'
                      : '•'}
                </span>
                <span className="audit-summary">{summary(row)}</span>
                <span className="audit-project">{row.projectName ?? row.projectId}</span>
                <span className={`audit-status${isError(row) ? ' bad' : ''}`}>
                  {isError(row)
                    ? `error${row.errorCode !== undefined ? ` ${row.errorCode}` : ''}`
                    : (row.status ?? '')}
                </span>
                <span className="audit-duration">
                  {row.durationMs !== undefined ? `${Math.round(row.durationMs)} ms` : ''}
                </span>
              </div>
            );
          })}
        </div>
      </div>
      <p className="audit-count muted" role="status" aria-live="polite">
        {loading
          ? 'Loading…'
          : `${count.toLocaleString()} event(s)${hasOlder ? ' — scroll up for older' : ''}`}
      </p>
    </div>
  );
}
