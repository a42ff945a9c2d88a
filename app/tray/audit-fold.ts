import type { AuditRow, AuditStore } from '../audit/audit-store.js';

export type AuditTail = Pick<AuditStore, 'query' | 'subscribe'>;

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
    const stop = this.audit.subscribe((rows) => {
      if (this.apply(rows)) onChange();
    });
    void this.load().then(onChange, () => undefined);
    return stop;
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
  protected abstract apply(rows: readonly AuditRow[]): boolean;
}

export function byTime(a: AuditRow, b: AuditRow): number {
  return a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : a.seq - b.seq;
}
