import { describe, expect, it } from 'vitest';
import type { ActivityView } from '../../../app/contract/audit-contract';
import { activityData, bucketSpan, sparklineData, sparklineSummary } from './chart-data';

const FROM = Date.parse('2026-12-01T11:00:00.000Z');
const series = (client: string, calls: number[]) => ({
  client,
  calls,
  errors: calls.map((c) => (c > 2 ? 1 : 0)),
  p50: calls.map((c) => (c ? 10 * c : null)),
  p95: calls.map((c) => (c ? 20 * c : null)),
});
const activity: ActivityView = {
  range: '1h',
  from: FROM,
  bucketMs: 60_000,
  total: series('All clients', [1, 0, 3]),
  clients: [series('Cursor', [1, 0, 2]), series('Zed', [0, 0, 1])],
};

describe('chart data', () => {
  it('lays an activity series out as uPlot columns, in seconds, for the total or one client', () => {
    expect(activityData(activity)).toEqual([
      [FROM / 1000, FROM / 1000 + 60, FROM / 1000 + 120],
      [1, 0, 3],
      [0, 0, 1],
      [10, null, 30],
      [20, null, 60],
    ]);
    expect(activityData(activity, 'Zed')[1]).toEqual([0, 0, 1]);
    // A client that left the range falls back to the total instead of an empty chart.
    expect(activityData(activity, 'Gone')[1]).toEqual([1, 0, 3]);
  });

  it('turns a clicked point into the minute the timeline is filtered to', () => {
    expect(bucketSpan(activity, 2)).toEqual({
      since: '2026-12-01T11:02:00.000Z',
      until: '2026-12-01T11:03:00.000Z',
    });
  });

  it('marks errors on the sparkline only where there were some, and says it in words', () => {
    const line = {
      projectId: 'prj_a',
      from: FROM,
      bucketMs: 60_000,
      calls: [2, 5, 0],
      errors: [0, 1, 0],
    };
    expect(sparklineData(line)).toEqual([
      [FROM / 1000, FROM / 1000 + 60, FROM / 1000 + 120],
      [2, 5, 0],
      [null, 5, null],
    ]);
    expect(sparklineSummary(line)).toBe('7 calls in the last hour, peak 5 a minute, 1 error');
    expect(sparklineSummary(undefined)).toBe('No calls in the last hour');
  });
});
