import type { ActivityView, SparklinesView } from '../../../app/contract/audit-contract';

export type Aligned = [number[], ...(number | null)[][]];

/** One series of the activity chart: which numbers, how it is labelled, on which axis. */
export interface SeriesSpec {
  label: string;
  key: 'calls' | 'errors' | 'p50' | 'p95';
  axis: 'count' | 'ms';
  /** CSS custom property the colour comes from (light and dark themes differ). */
  colorVar: string;
  dash?: number[];
}

export const ACTIVITY_SERIES: SeriesSpec[] = [
  { label: 'Calls', key: 'calls', axis: 'count', colorVar: '--accent' },
  { label: 'Errors', key: 'errors', axis: 'count', colorVar: '--bad' },
  { label: 'p50 latency', key: 'p50', axis: 'ms', colorVar: '--ok' },
  { label: 'p95 latency', key: 'p95', axis: 'ms', colorVar: '--warn', dash: [6, 4] },
];

/** The series of the chosen client (or the total), or undefined when that client is gone. */
export function pickSeries(activity: ActivityView, client: string | undefined) {
  if (!client) return activity.total;
  return activity.clients.find((c) => c.client === client);
}

/**
 * uPlot's column data for an activity series: x in Unix seconds (uPlot's time unit) at each
 * bucket's start, then one column per ACTIVITY_SERIES entry.
 */
export function activityData(activity: ActivityView, client?: string): Aligned {
  const series = pickSeries(activity, client) ?? activity.total;
  const x = series.calls.map((_, i) => (activity.from + i * activity.bucketMs) / 1000);
  return [x, ...ACTIVITY_SERIES.map((s) => series[s.key])];
}

/** The time span of a bucket a click landed on: what the timeline is filtered to. */
export function bucketSpan(
  activity: ActivityView,
  index: number,
): { since: string; until: string } {
  const start = activity.from + index * activity.bucketMs;
  return {
    since: new Date(start).toISOString(),
    until: new Date(start + activity.bucketMs).toISOString(),
  };
}

/** Sparkline columns: x, calls per minute, and errors only where there were any (as markers). */
export function sparklineData(line: SparklinesView[number]): Aligned {
  const x = line.calls.map((_, i) => (line.from + i * line.bucketMs) / 1000);
  return [x, line.calls, line.errors.map((n, i) => (n > 0 ? line.calls[i]! : null))];
}

/** What a screen reader hears for a sparkline: the totals in words. */
export function sparklineSummary(line: SparklinesView[number] | undefined): string {
  if (!line) return 'No calls in the last hour';
  const calls = line.calls.reduce((a, b) => a + b, 0);
  const errors = line.errors.reduce((a, b) => a + b, 0);
  const peak = Math.max(...line.calls);
  const base = `${calls} ${calls === 1 ? 'call' : 'calls'} in the last hour, peak ${peak} a minute`;
  return errors > 0 ? `${base}, ${errors} ${errors === 1 ? 'error' : 'errors'}` : base;
}
