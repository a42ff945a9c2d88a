import { KINDS, STATUS_ERROR, type AuditIndex } from './audit-index.js';

/** The chart ranges, their bucket size and count: minutes for an hour or a day, hours for a week. */
export const ACTIVITY_RANGES = {
  '1h': { bucketMs: 60_000, buckets: 60 },
  '24h': { bucketMs: 60_000, buckets: 1440 },
  '7d': { bucketMs: 3_600_000, buckets: 168 },
} as const;
export type ActivityRange = keyof typeof ACTIVITY_RANGES;

export interface ActivitySeries {
  /** Client name from `initialize`, or "All clients" for the total. */
  client: string;
  /** Requests from the client, per bucket. */
  calls: number[];
  /** Error responses and bridge errors, per bucket. */
  errors: number[];
  /** Latency percentiles (ms) of the bucket's responses; null where none had a duration. */
  p50: (number | null)[];
  p95: (number | null)[];
}

export interface Activity {
  range: ActivityRange;
  /** Epoch ms of the first bucket's start. */
  from: number;
  bucketMs: number;
  total: ActivitySeries;
  /** One series per client, by name. */
  clients: ActivitySeries[];
}

export interface ProjectSparkline {
  projectId: string;
  from: number;
  bucketMs: number;
  /** Calls per minute over the last hour, oldest first. */
  calls: number[];
  errors: number[];
}

export const ALL_CLIENTS = 'All clients';
const REQUEST = KINDS.indexOf('request');
const RESPONSE = KINDS.indexOf('response');
const ERROR = KINDS.indexOf('error');
const CLIENT_TO_SERVER = 0;

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], p: number): number {
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

class SeriesBuilder {
  readonly calls: number[];
  readonly errors: number[];
  private readonly durations: number[][];
  constructor(
    readonly client: string,
    buckets: number,
  ) {
    this.calls = new Array<number>(buckets).fill(0);
    this.errors = new Array<number>(buckets).fill(0);
    this.durations = Array.from({ length: buckets }, () => []);
  }
  add(bucket: number, kind: number, direction: number, status: number, duration: number): void {
    if (kind === REQUEST && direction === CLIENT_TO_SERVER) this.calls[bucket]!++;
    if (status === STATUS_ERROR) this.errors[bucket]!++;
    if ((kind === RESPONSE || kind === ERROR) && duration >= 0)
      this.durations[bucket]!.push(duration);
  }
  build(): ActivitySeries {
    const p50: (number | null)[] = [];
    const p95: (number | null)[] = [];
    for (const d of this.durations) {
      if (d.length === 0) {
        p50.push(null);
        p95.push(null);
        continue;
      }
      d.sort((a, b) => a - b);
      p50.push(percentile(d, 50));
      p95.push(percentile(d, 95));
    }
    return { client: this.client, calls: this.calls, errors: this.errors, p50, p95 };
  }
}

function window(
  range: ActivityRange,
  now: number,
): { from: number; bucketMs: number; buckets: number } {
  const { bucketMs, buckets } = ACTIVITY_RANGES[range];
  const from = Math.floor(now / bucketMs) * bucketMs - (buckets - 1) * bucketMs;
  return { from, bucketMs, buckets };
}

function clientOf(ix: AuditIndex, e: number): string {
  const c = ix.client.data[e]!;
  if (c !== 0) return ix.strings.values[c]!;
  return ix.segments[ix.file.data[e]!]?.client ?? 'unknown client';
}

/**
 * Calls, errors and p50/p95 latency per bucket over a range, in total and per client, straight
 * from the index columns (no line is read from disk). `accept` narrows to a project.
 */
export function activityFromIndex(
  ix: AuditIndex,
  range: ActivityRange,
  now: number,
  accept: (entry: number) => boolean,
): Activity {
  const { from, bucketMs, buckets } = window(range, now);
  const total = new SeriesBuilder(ALL_CLIENTS, buckets);
  const byClient = new Map<string, SeriesBuilder>();
  const order = ix.order.data;
  const end = from + buckets * bucketMs;
  for (let p = ix.lowerBound(from); p < ix.count; p++) {
    const e = order[p]!;
    const ts = ix.ts.data[e]!;
    if (ts >= end) break;
    if (!accept(e)) continue;
    const bucket = Math.floor((ts - from) / bucketMs);
    const args = [
      bucket,
      ix.kind.data[e]!,
      ix.direction.data[e]!,
      ix.status.data[e]!,
      ix.duration.data[e]!,
    ] as const;
    total.add(...args);
    const client = clientOf(ix, e);
    let series = byClient.get(client);
    if (!series) byClient.set(client, (series = new SeriesBuilder(client, buckets)));
    series.add(...args);
  }
  return {
    range,
    from,
    bucketMs,
    total: total.build(),
    clients: [...byClient.values()]
      .sort((a, b) => a.client.localeCompare(b.client))
      .map((s) => s.build()),
  };
}

/** Calls and errors per minute over the last hour, for every project with events in it. */
export function sparklinesFromIndex(ix: AuditIndex, now: number): ProjectSparkline[] {
  const { from, bucketMs, buckets } = window('1h', now);
  const byProject = new Map<number, { calls: number[]; errors: number[] }>();
  const order = ix.order.data;
  for (let p = ix.lowerBound(from); p < ix.count; p++) {
    const e = order[p]!;
    const bucket = Math.floor((ix.ts.data[e]! - from) / bucketMs);
    if (bucket >= buckets) break;
    const project = ix.project.data[e]!;
    let line = byProject.get(project);
    if (!line) {
      line = {
        calls: new Array<number>(buckets).fill(0),
        errors: new Array<number>(buckets).fill(0),
      };
      byProject.set(project, line);
    }
    if (ix.kind.data[e] === REQUEST && ix.direction.data[e] === CLIENT_TO_SERVER)
      line.calls[bucket]!++;
    if (ix.status.data[e] === STATUS_ERROR) line.errors[bucket]!++;
  }
  return [...byProject]
    .map(([project, line]) => ({ projectId: ix.strings.values[project]!, from, bucketMs, ...line }))
    .sort((a, b) => a.projectId.localeCompare(b.projectId));
}
