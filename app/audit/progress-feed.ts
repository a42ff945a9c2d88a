import type { IndexProgressView } from '../contract/audit-contract.js';
import type { AuditApi } from './audit-store.js';

/**
 * Starts the index build at once (not at the first window's first query) and pushes its
 * progress while it changes, then once more when it is complete. Returns the stop function.
 */
export function startProgressFeed(
  store: Pick<AuditApi, 'ready' | 'progress'>,
  emit: (event: 'audit.progress', payload: IndexProgressView) => void,
  everyMs = 250,
): () => void {
  let last = -1;
  const tick = () => {
    const p = store.progress();
    if (p.percent !== last) {
      last = p.percent;
      try {
        emit('audit.progress', p);
      } catch {
        // A closed window must not stop the feed.
      }
    }
    if (p.ready) clearInterval(timer);
  };
  const timer = setInterval(tick, everyMs);
  timer.unref();
  void store.ready().then(tick, () => undefined);
  return () => clearInterval(timer);
}
