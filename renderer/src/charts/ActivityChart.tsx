import { useCallback, useEffect, useId, useMemo, useState } from 'react';
import type uPlot from 'uplot';
import type { ActivityView } from '../../../app/contract/audit-contract';
import { api } from '../api';
import { onRadioArrow } from '../components/radio-keys';
import { useActivityStore, connectActivity } from './activity-store';
import { ACTIVITY_SERIES, activityData, bucketSpan, pickSeries } from './chart-data';
import { IndexingNotice } from './IndexingNotice';
import { cssColor, UPlot } from './UPlot';
import './charts.css';

export type ChartRange = ActivityView['range'];
// Words, not "1 h": the audit window's time filter beside the chart has its own "1 h".
const RANGES: { value: ChartRange; label: string; span: string }[] = [
  { value: '1h', label: 'Hour', span: 'hour' },
  { value: '24h', label: 'Day', span: '24 hours' },
  { value: '7d', label: 'Week', span: '7 days' },
];
const HEIGHT = 180;

interface Props {
  /** Project id or name; all projects when absent. */
  project?: string;
  /** Clicking a point: the bucket's time span (the audit window filters its timeline to it). */
  onPick?: (span: { since: string; until: string }) => void;
}

function chartOptions(range: ChartRange): (width: number) => uPlot.Options {
  return (width) => ({
    width,
    height: HEIGHT,
    cursor: { drag: { x: false, y: false }, points: { size: 6 } },
    legend: { live: true },
    scales: { x: { time: true }, count: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
    axes: [
      {
        stroke: cssColor('--muted'),
        grid: { stroke: cssColor('--border') },
        ticks: { show: false },
      },
      {
        scale: 'count',
        label: range === '7d' ? 'per hour' : 'per minute',
        stroke: cssColor('--muted'),
        grid: { stroke: cssColor('--border') },
        size: 44,
      },
      {
        scale: 'ms',
        side: 1,
        label: 'ms',
        stroke: cssColor('--muted'),
        grid: { show: false },
        size: 48,
      },
    ],
    series: [
      {
        label: 'Time',
        value: (_u, v) => (v == null ? '—' : new Date(v * 1000).toLocaleString()),
      },
      ...ACTIVITY_SERIES.map((s): uPlot.Series => ({
        label: s.label,
        scale: s.axis,
        stroke: cssColor(s.colorVar),
        width: s.key === 'calls' ? 2 : 1.5,
        ...(s.dash && { dash: s.dash }),
        ...(s.key === 'calls' && { fill: `${cssColor(s.colorVar)}1f` }),
        spanGaps: false,
        points: { show: false },
        value: (_u, v) =>
          v == null ? '—' : s.axis === 'ms' ? `${Math.round(v * 10) / 10} ms` : String(v),
      })),
    ],
  });
}

/**
 * Calls, errors and p50/p95 latency over 1 h / 24 h / 7 d from the audit index, for all
 * clients or one; hovering shows exact values in the legend, clicking a point picks its minute.
 */
export function ActivityChart({ project, onPick }: Props) {
  const [range, setRange] = useState<ChartRange>('1h');
  const [client, setClient] = useState<string>();
  const [activity, setActivity] = useState<ActivityView>();
  const [error, setError] = useState<string>();
  const tick = useActivityStore((s) => s.tick);
  const id = useId();

  useEffect(() => connectActivity(), []);

  useEffect(() => {
    let stale = false;
    api()
      .audit.activity({ range, ...(project ? { project } : {}) })
      .then((a) => {
        if (stale) return;
        setActivity(a);
        setError(undefined);
      })
      .catch((e: Error) => !stale && setError(e.message));
    return () => {
      stale = true;
    };
  }, [range, project, tick]);

  const data = useMemo(
    () => (activity ? activityData(activity, client) : undefined),
    [activity, client],
  );
  const options = useMemo(() => chartOptions(range), [range]);
  const pick = useCallback(
    (i: number) => activity && onPick?.(bucketSpan(activity, i)),
    [activity, onPick],
  );
  const series = activity ? pickSeries(activity, client) : undefined;
  const calls = series?.calls.reduce((a, b) => a + b, 0) ?? 0;
  const errors = series?.errors.reduce((a, b) => a + b, 0) ?? 0;
  const summary = `${calls} ${calls === 1 ? 'call' : 'calls'} and ${errors} ${errors === 1 ? 'error' : 'errors'} in the last ${RANGES.find((r) => r.value === range)!.span}`;

  return (
    <section className="panel activity" aria-labelledby={`${id}-title`}>
      <div className="panel-head">
        <h3 id={`${id}-title`}>Activity</h3>
        <div
          className="segmented"
          role="radiogroup"
          aria-label="Chart range"
          onKeyDown={(e) =>
            onRadioArrow(
              e,
              RANGES.map((r) => r.value),
              range,
              setRange,
            )
          }
        >
          {RANGES.map((r) => (
            <button
              key={r.value}
              type="button"
              role="radio"
              aria-checked={range === r.value}
              tabIndex={range === r.value ? 0 : -1}
              aria-label={`Last ${r.span}`}
              className={range === r.value ? 'selected' : ''}
              onClick={() => setRange(r.value)}
            >
              {r.label}
            </button>
          ))}
        </div>
        <label className="activity-client">
          Client{' '}
          <select value={client ?? ''} onChange={(e) => setClient(e.target.value || undefined)}>
            <option value="">All clients</option>
            {activity?.clients.map((c) => (
              <option key={c.client} value={c.client}>
                {c.client}
              </option>
            ))}
          </select>
        </label>
      </div>
      <IndexingNotice />
      {error && (
        <p role="alert" className="error-box">
          The activity chart could not be loaded: {error}
        </p>
      )}
      {!activity && !error && (
        <p role="status" className="muted">
          <span className="spinner" aria-hidden="true" /> Loading activity…
        </p>
      )}
      {activity && data && (
        <div role="img" aria-label={summary} data-testid="activity-chart">
          <p className="muted activity-summary">
            {calls === 0 ? 'No calls in this range yet.' : summary}
            {onPick && calls > 0 ? '. Click a point to see the events of that minute.' : ''}
          </p>
          <UPlot
            options={options}
            optionsKey={`activity-${range}`}
            data={data}
            height={HEIGHT}
            className="activity-plot"
            {...(onPick && { onPick: pick })}
          />
        </div>
      )}
    </section>
  );
}
