import { SwitchboardError } from '../shared/errors.js';

export const AUDIT_PRESETS = ['all', 'today', '1h', '24h', '7d'] as const;
export type AuditPreset = (typeof AUDIT_PRESETS)[number];

/**
 * A selection of audit events. Every field narrows; an empty filter selects everything.
 * zod-free so the renderer can apply it to live events (the IPC schema is in audit-contract).
 */
export interface AuditFilter {
  /** Project id (`prj_…`) or name. */
  project?: string;
  /** Client name from `initialize` (case-insensitive). */
  client?: string;
  /** Bridge session id. */
  session?: string;
  /** JSON-RPC method; a trailing `*` matches a prefix (`tools/*`). */
  method?: string;
  /** Tool name (also resource URI / prompt name: the event's target). */
  tool?: string;
  status?: 'ok' | 'error';
  /** Case-insensitive text anywhere in the stored event (it is already redacted). */
  text?: string;
  preset?: AuditPreset;
  /** `1h`, `24h`, `7d`, `30m`, `today` or an ISO time. Overrides the preset's start. */
  since?: string;
  /** ISO time (exclusive). */
  until?: string;
}

const DURATION = /^(\d+)\s*(s|m|h|d|w)$/i;
const UNIT_MS: Record<string, number> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
};

function startOfToday(now: number): number {
  const d = new Date(now);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

/** Turns `1h`, `today`, `all` or an ISO time into epoch ms; a clear error otherwise. */
export function parseSince(value: string, now = Date.now()): number {
  const v = value.trim();
  if (v === 'all') return Number.NEGATIVE_INFINITY;
  if (v === 'today') return startOfToday(now);
  const m = DURATION.exec(v);
  if (m) return now - Number(m[1]) * UNIT_MS[m[2]!.toLowerCase()]!;
  const t = Date.parse(v);
  if (Number.isNaN(t)) {
    throw new SwitchboardError(
      'VALIDATION',
      `Cannot read the time ${JSON.stringify(v.slice(0, 40))}. Use 1h, 24h, 7d, today, or an ISO time such as 2026-05-01T09:00:00Z.`,
    );
  }
  return t;
}

/** The [from, to) time window of a filter, in epoch ms. */
export function timeRange(filter: AuditFilter, now = Date.now()): { from: number; to: number } {
  let from = Number.NEGATIVE_INFINITY;
  if (filter.preset && filter.preset !== 'all') from = parseSince(filter.preset, now);
  if (filter.since) from = parseSince(filter.since, now);
  let to = Number.POSITIVE_INFINITY;
  if (filter.until) {
    to = Date.parse(filter.until);
    if (Number.isNaN(to)) {
      throw new SwitchboardError(
        'VALIDATION',
        `Cannot read the time ${JSON.stringify(filter.until.slice(0, 40))}. Use an ISO time such as 2026-05-01T09:00:00Z.`,
      );
    }
  }
  return { from, to };
}

export function methodMatcher(method: string): (value: string) => boolean {
  if (method.endsWith('*')) {
    const prefix = method.slice(0, -1);
    return (v) => v.startsWith(prefix);
  }
  return (v) => v === method;
}

/**
 * The same selection applied to one event in hand (the live tail, `--follow`). The session's
 * client is not known here, so `client` matches only events that carry it.
 */
export function matchesFilter(
  e: {
    ts: string;
    projectId: string;
    projectName?: string;
    sessionId?: string;
    client?: { name: string };
    method?: string;
    target?: string;
    status?: 'ok' | 'error';
    kind: string;
  },
  filter: AuditFilter,
  range = timeRange(filter),
): boolean {
  const t = Date.parse(e.ts);
  if (t < range.from || t >= range.to) return false;
  if (filter.project) {
    const ql = filter.project.toLowerCase();
    if (e.projectId !== filter.project && e.projectName?.toLowerCase() !== ql) return false;
  }
  if (filter.client && e.client?.name.toLowerCase() !== filter.client.toLowerCase()) return false;
  if (filter.session && e.sessionId !== filter.session) return false;
  if (filter.method && !methodMatcher(filter.method)(e.method ?? '')) return false;
  if (filter.tool && e.target !== filter.tool) return false;
  if (filter.status) {
    const isError = e.status === 'error' || e.kind === 'error';
    if (filter.status === 'error' ? !isError : e.status !== 'ok') return false;
  }
  if (filter.text && !JSON.stringify(e).toLowerCase().includes(filter.text.trim().toLowerCase())) {
    return false;
  }
  return true;
}
