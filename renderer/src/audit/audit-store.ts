import { create } from 'zustand';
import { matchesFilter, type AuditFilter } from '../../../app/audit/audit-filter';
import type { AuditRowView, AuditSessionsTree } from '../../../app/contract/audit-contract';
import { api } from '../api';

export const LIVE_CAPACITY = 200;
export const TIMELINE_CAPACITY = 100_000;
const PAGE = 500;

/**
 * Rows live outside zustand state: batches are appended in place and announced by bumping a
 * version number, so a burst of events costs one render per pushed batch (≤ 20/s), never one
 * per event, and no 100k-element array is copied.
 */
export const liveRows: AuditRowView[] = [];
export const timelineRows: AuditRowView[] = [];
const timelineRefs = new Set<string>();

export interface AuditState {
  /** Bumped whenever `liveRows` changes (main window feed). */
  liveVersion: number;
  /** Bumped whenever `timelineRows` changes (audit window). */
  version: number;
  /** When the last change prepended older rows: how many (the timeline keeps its scroll place). */
  prepended: { version: number; count: number };
  filter: AuditFilter;
  selectedRef?: string;
  /** Cursor for older events; absent when everything matching is loaded. */
  olderCursor?: string;
  loading: boolean;
  error?: string;
  sessions: AuditSessionsTree;
  notice?: string;

  appendBatch(batch: AuditRowView[]): void;
  loadLive(): Promise<void>;
  setFilter(filter: AuditFilter): Promise<void>;
  loadOlder(): Promise<void>;
  select(ref: string | undefined): void;
  refreshSessions(): Promise<void>;
  exportSelection(format: 'jsonl' | 'csv'): Promise<void>;
}

let loadSeq = 0;

/**
 * Puts a row where its time says, oldest first. Rows from one segment arrive in order, but a
 * batch from another (a `connect` the CLI wrote just before a bridge's call) can arrive later
 * than newer rows; it still goes above them. Equal times keep their arrival order.
 */
export function insertByTime(rows: AuditRowView[], row: AuditRowView): void {
  let i = rows.length;
  while (i > 0 && rows[i - 1]!.ts > row.ts) i--;
  if (i === rows.length) rows.push(row);
  else rows.splice(i, 0, row);
}

export const useAuditStore = create<AuditState>()((set, get) => ({
  liveVersion: 0,
  version: 0,
  prepended: { version: -1, count: 0 },
  filter: { preset: 'all' },
  loading: false,
  sessions: [],

  appendBatch(batch) {
    if (batch.length === 0) return;
    for (const row of batch) {
      if (!liveRows.some((r) => r.ref === row.ref)) insertByTime(liveRows, row);
    }
    if (liveRows.length > LIVE_CAPACITY) liveRows.splice(0, liveRows.length - LIVE_CAPACITY);
    const { filter } = get();
    let added = 0;
    for (const row of batch) {
      if (timelineRefs.has(row.ref) || !matchesFilter(row, filter)) continue;
      insertByTime(timelineRows, row);
      timelineRefs.add(row.ref);
      added++;
    }
    if (timelineRows.length > TIMELINE_CAPACITY) {
      for (const r of timelineRows.splice(0, timelineRows.length - TIMELINE_CAPACITY)) {
        timelineRefs.delete(r.ref);
      }
    }
    set((s) => ({
      liveVersion: s.liveVersion + 1,
      version: added ? s.version + 1 : s.version,
    }));
  },

  async loadLive() {
    try {
      const page = await api().audit.query({ limit: 50 });
      const known = new Set(liveRows.map((r) => r.ref));
      const older = page.events.reverse().filter((r) => !known.has(r.ref));
      liveRows.unshift(...older);
      if (liveRows.length > LIVE_CAPACITY) liveRows.splice(0, liveRows.length - LIVE_CAPACITY);
      set((s) => ({ liveVersion: s.liveVersion + 1 }));
    } catch (error) {
      set({ error: (error as Error).message });
    }
  },

  async setFilter(filter) {
    const mine = ++loadSeq;
    timelineRows.length = 0;
    timelineRefs.clear();
    set((s) => ({
      filter,
      loading: true,
      error: undefined,
      olderCursor: undefined,
      version: s.version + 1,
    }));
    try {
      const page = await api().audit.query({ filter, limit: PAGE });
      if (mine !== loadSeq) return; // a newer filter won
      // Live rows that arrived while loading are newer: keep them after the page.
      const rows = page.events.reverse().filter((r) => !timelineRefs.has(r.ref));
      timelineRows.unshift(...rows);
      rows.forEach((r) => timelineRefs.add(r.ref));
      set((s) => ({ loading: false, olderCursor: page.nextCursor, version: s.version + 1 }));
    } catch (error) {
      if (mine === loadSeq) set({ loading: false, error: (error as Error).message });
    }
  },

  async loadOlder() {
    const { olderCursor, filter, loading } = get();
    if (!olderCursor || loading) return;
    const mine = loadSeq;
    set({ loading: true });
    try {
      const page = await api().audit.query({ filter, limit: PAGE, cursor: olderCursor });
      if (mine !== loadSeq) return;
      const rows = page.events.reverse().filter((r) => !timelineRefs.has(r.ref));
      timelineRows.unshift(...rows);
      rows.forEach((r) => timelineRefs.add(r.ref));
      set((s) => ({
        loading: false,
        olderCursor: page.nextCursor,
        version: s.version + 1,
        prepended: { version: s.version + 1, count: rows.length },
      }));
    } catch (error) {
      if (mine === loadSeq) set({ loading: false, error: (error as Error).message });
    }
  },

  select(ref) {
    set({ selectedRef: ref });
  },

  async refreshSessions() {
    try {
      set({ sessions: await api().audit.sessions() });
    } catch (error) {
      set({ error: (error as Error).message });
    }
  },

  async exportSelection(format) {
    set({ notice: 'Exporting…' });
    try {
      const { filter } = get();
      const result = await api().audit.export({ filter, format });
      set({ notice: `Exported ${result.count} event(s) to ${result.path}` });
    } catch (error) {
      set({ notice: undefined, error: (error as Error).message });
    }
  },
}));

let connections = 0;
let disconnect: (() => void) | undefined;

/**
 * One subscription to `audit.appended` for the whole renderer, however many components need
 * it (reference-counted, so StrictMode's double mount never adds a second listener).
 */
export function connectAudit(): () => void {
  if (connections++ === 0) {
    const state = useAuditStore.getState();
    disconnect = api().events.auditAppended((batch) => state.appendBatch(batch));
    void state.loadLive();
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (--connections === 0) {
      disconnect?.();
      disconnect = undefined;
    }
  };
}
