import type { AuditRowView } from '../contract/audit-contract.js';
import { toViews } from './audit-handlers.js';
import type { AuditApi, AuditRow } from './audit-store.js';

type AppendedEmit = (event: 'audit.appended', payload: AuditRowView[]) => void;

export interface AuditFeedOptions {
  /** Minimum gap between pushes: 50 ms keeps windows at ≤ 20 updates a second. */
  intervalMs?: number;
  /** Run retention now and every `retentionEveryMs` (the app does; tests may not). */
  retention?: boolean;
  retentionEveryMs?: number;
}

/**
 * Streams newly stored events to windows in batches. Previews are left out of pushes (the
 * detail pane fetches the pair), so a busy bridge costs the renderer a few hundred bytes per
 * event. Returns the stop function.
 */
export function startAuditFeed(
  store: AuditApi,
  emit: AppendedEmit,
  opts: AuditFeedOptions = {},
): () => void {
  const interval = opts.intervalMs ?? 50;
  let pending: AuditRowView[] = [];
  let timer: NodeJS.Timeout | undefined;
  let lastPush = 0;

  const push = () => {
    timer = undefined;
    lastPush = Date.now();
    const batch = pending;
    pending = [];
    if (batch.length) {
      try {
        emit('audit.appended', batch);
      } catch {
        // A closed window must not stop the feed.
      }
    }
  };

  const off = store.subscribe((rows: AuditRow[]) => {
    for (const view of toViews(rows)) {
      delete view.preview;
      pending.push(view);
    }
    if (!timer && pending.length) {
      timer = setTimeout(push, Math.max(0, lastPush + interval - Date.now()));
    }
  });

  let retention: NodeJS.Timeout | undefined;
  if (opts.retention ?? true) {
    const run = () => void store.retain().catch(() => undefined);
    run();
    retention = setInterval(run, opts.retentionEveryMs ?? 3_600_000);
    retention.unref();
  }

  return () => {
    off();
    if (timer) clearTimeout(timer);
    if (retention) clearInterval(retention);
  };
}
