import type { AuditRow, AuditStore } from '../audit/audit-store.js';

export type AuditTail = Pick<AuditStore, 'query' | 'subscribe'>;

/**
 * What a batch changed: something the tray must show now (true), only running figures such as
 * calls per minute ('figures', passed on at most every FIGURES_MS, so a busy bridge does not
 * rebuild the menu per batch), or nothing (false).
 */
export type FoldChange = boolean | 'figures';
export const FIGURES_MS = 2_000;

/**
 * State folded from the audit log for the tray: loaded once from a look back (`initial`),
 * then kept current from the tail (`apply`, which says whether anything shown changed). A
 * failed load is tried again on the next read.
 */
export abstract class AuditFold {
  private loaded: Promise<void> | undefined;

  constructor(protected readonly audit: AuditTail) {}

  /** Starts tailing; `onChange` fires when what the tray shows changed. Returns the stop. */
  start(onChange: () => void): () => void {
    let later: ReturnType<typeof setTimeout> | undefined;
    const stop = this.audit.subscribe((rows) => {
      const change = this.apply(rows);
      if (change === true) {
        if (later) clearTimeout(later);
        later = undefined;
        onChange();
      } else if (change === 'figures' && !later) {
        later = setTimeout(() => {
          later = undefined;
          onChange();
        }, FIGURES_MS);
      }
    });
    void this.load().then(onChange, () => undefined);
    return () => {
      stop();
      if (later) clearTimeout(later);
    };
  }

  protected get isLoading(): boolean {
    return this.loaded !== undefined;
  }

  protected load(): Promise<void> {
    this.loaded ??= this.initial();
    this.loaded.catch(() => (this.loaded = undefined));
    return this.loaded;
  }

  /** Reads the look-back and folds it in. */
  protected abstract initial(): Promise<void>;
  protected abstract apply(rows: readonly AuditRow[]): FoldChange;
}

export function byTime(a: AuditRow, b: AuditRow): number {
  return a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : a.seq - b.seq;
}
