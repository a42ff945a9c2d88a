import { create } from 'zustand';
import type { IndexProgressView, SparklinesView } from '../../../app/contract/audit-contract';
import { api } from '../api';

/** How often charts are fetched again while events arrive (they summarise, not stream). */
export const CHART_REFRESH_MS = 5_000;

interface ActivityState {
  sparklines: Record<string, SparklinesView[number]>;
  /** Bumped (at most every CHART_REFRESH_MS) when new events arrived: charts refetch. */
  tick: number;
  progress?: IndexProgressView;
  loadSparklines(): Promise<void>;
}

export const useActivityStore = create<ActivityState>()((set) => ({
  sparklines: {},
  tick: 0,
  async loadSparklines() {
    try {
      const lines = await api().audit.sparklines();
      set({ sparklines: Object.fromEntries(lines.map((l) => [l.projectId, l])) });
    } catch {
      // Sparklines are a glance, not a source of truth: keep the last ones on a failed fetch.
    }
  },
}));

let connections = 0;
let disconnect: (() => void) | undefined;

/**
 * Subscribes once (outside React) to appended events and index progress; components call it
 * from an effect and get a release function. New events bump `tick` at most every 5 s, and
 * the minute rolling over does too, so a quiet project's sparkline still moves.
 */
export function connectActivity(): () => void {
  if (connections++ === 0) {
    const client = api();
    const { loadSparklines } = useActivityStore.getState();
    let pending: ReturnType<typeof setTimeout> | undefined;
    const bump = () => {
      pending = undefined;
      useActivityStore.setState((s) => ({ tick: s.tick + 1 }));
      void loadSparklines();
    };
    const off = [
      client.events.auditAppended(() => {
        pending ??= setTimeout(bump, CHART_REFRESH_MS);
      }),
      client.events.auditProgress((progress) => {
        const was = useActivityStore.getState().progress;
        useActivityStore.setState({ progress });
        // The build finished: everything drawn so far was incomplete.
        if (progress.ready && was && !was.ready) bump();
      }),
    ];
    const minute = setInterval(bump, 60_000);
    client.audit
      .progress()
      .then((progress) => useActivityStore.setState({ progress }))
      .catch(() => undefined);
    void loadSparklines();
    disconnect = () => {
      off.forEach((f) => f());
      clearInterval(minute);
      if (pending) clearTimeout(pending);
    };
  }
  return () => {
    if (--connections === 0) disconnect?.();
  };
}
