import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AuditRow } from '../audit/audit-store.js';
import { AuditFold, FIGURES_MS, type FoldChange } from './audit-fold.js';

// The throttle alone, with a hand-fed tail and fake timers: reading the real audit log is
// covered by the folds' own tests (active-sessions, auth-failures, disconnected-attempts).
class Counting extends AuditFold {
  next: FoldChange = false;
  protected async initial(): Promise<void> {}
  protected apply(): FoldChange {
    return this.next;
  }
}

afterEach(() => vi.useRealTimers());

describe('audit folds tell the tray about changes', () => {
  it('at once for what must show now, and running figures at most every 2 s', async () => {
    vi.useFakeTimers();
    let feed: ((rows: AuditRow[]) => void) | undefined;
    const fold = new Counting({
      query: async () => ({ events: [] }),
      subscribe: (l) => {
        feed = l;
        return () => (feed = undefined);
      },
    });
    let changes = 0;
    const stop = fold.start(() => changes++);
    await vi.advanceTimersByTimeAsync(0);
    expect(changes).toBe(1); // the initial load

    fold.next = 'figures';
    for (let i = 0; i < 50; i++) feed!([]);
    expect(changes).toBe(1);
    await vi.advanceTimersByTimeAsync(FIGURES_MS);
    expect(changes).toBe(2);

    // A session starting is shown at once, and takes the pending figures with it.
    for (let i = 0; i < 5; i++) feed!([]);
    fold.next = true;
    feed!([]);
    expect(changes).toBe(3);
    await vi.advanceTimersByTimeAsync(FIGURES_MS * 2);
    expect(changes).toBe(3);

    fold.next = false;
    feed!([]);
    stop();
    expect(feed).toBeUndefined();
  });
});
