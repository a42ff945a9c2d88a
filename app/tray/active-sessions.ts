import type { AuditRow, AuditStore } from '../audit/audit-store.js';
import { AuditFold, byTime, type AuditTail, type FoldChange } from './audit-fold.js';
import type { TraySessionInfo } from './tray-state.js';

type AuditReader = AuditTail & Pick<AuditStore, 'sessions'>;

interface Live {
  projectId: string;
  clientName: string;
  pid?: number;
  /** The client's requests in the last minute (time, audit ref), oldest first. */
  calls: { at: number; ref: string }[];
  counted: Set<string>;
  lastCallAt?: number;
  errors: number;
}

/** Is a bridge process still running on this machine? (Signal 0 only checks.) */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else; it is still running.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const LOOKBACK = '7d';
const MINUTE = 60_000;
const UNKNOWN_CLIENT = 'unknown client';

/**
 * Running bridge sessions, from the audit log: a session is active from its `session-start`
 * until its `session-end`. A bridge that was killed never writes its end, so the pid recorded
 * in `session-start` is also checked. Per session it keeps the client's name (from
 * `initialize`), its calls in the last minute, its last call and its errors. Loaded once, then
 * kept current from the audit tail.
 */
export class ActiveSessions extends AuditFold {
  private readonly live = new Map<string, Live>();
  private readonly ended = new Set<string>();

  constructor(
    private readonly reader: AuditReader,
    private readonly isAlive: (pid: number) => boolean = pidAlive,
    private readonly now: () => number = Date.now,
  ) {
    super(reader);
  }

  async list(): Promise<TraySessionInfo[]> {
    await this.load();
    const out: TraySessionInfo[] = [];
    const since = this.now() - MINUTE;
    for (const [id, s] of this.live) {
      if (s.pid !== undefined && !this.isAlive(s.pid)) {
        this.live.delete(id);
        continue;
      }
      prune(s, since);
      out.push({
        sessionId: id,
        projectId: s.projectId,
        clientName: s.clientName,
        callsLastMinute: s.calls.length,
        ...(s.lastCallAt !== undefined && { lastCallAt: s.lastCallAt }),
        errors: s.errors,
      });
    }
    return out;
  }

  protected async initial(): Promise<void> {
    const [tree, starts, ends] = await Promise.all([
      this.reader.sessions(),
      this.audit.query({ text: 'session-start', since: LOOKBACK }, { limit: 5000 }),
      this.audit.query({ text: 'session-end', since: LOOKBACK }, { limit: 5000 }),
    ]);
    this.apply([...starts.events, ...ends.events].sort(byTime));
    // The sessions tree knows each session's client (from `initialize`) and error count.
    for (const project of tree) {
      for (const client of project.clients) {
        for (const session of client.sessions) {
          const live = this.live.get(session.sessionId);
          if (!live) continue;
          if (live.clientName === UNKNOWN_CLIENT) live.clientName = client.client;
          live.errors = session.errors;
        }
      }
    }
    if (this.live.size === 0) return;
    // Calls of the last minute (and each session's last call) for the live sessions.
    const recent = await this.audit.query(
      { since: new Date(this.now() - MINUTE).toISOString() },
      { limit: 5000 },
    );
    for (const row of [...recent.events].sort(byTime)) this.countCall(row);
  }

  private countCall(row: AuditRow): boolean {
    const live = row.sessionId ? this.live.get(row.sessionId) : undefined;
    if (!live || row.kind !== 'request' || row.direction !== 'client->server') return false;
    const at = Date.parse(row.ts);
    // The start-up query and the tail may both deliver a call: count each ref once.
    if (Number.isNaN(at) || live.counted.has(row.ref)) return false;
    live.counted.add(row.ref);
    live.calls.push({ at, ref: row.ref });
    // Rows arrive almost in time order; an older one moves back a few places.
    for (let i = live.calls.length - 1; i > 0 && live.calls[i - 1]!.at > at; i--) {
      [live.calls[i - 1], live.calls[i]] = [live.calls[i]!, live.calls[i - 1]!];
    }
    live.lastCallAt = Math.max(at, live.lastCallAt ?? at);
    prune(live, this.now() - MINUTE);
    return true;
  }

  /** Folds events in: sessions starting, ending or naming their client are shown at once. */
  protected apply(rows: readonly AuditRow[]): FoldChange {
    let changed = false;
    let figures = false;
    for (const row of rows) {
      const id = row.sessionId;
      if (!id) continue;
      if (row.kind === 'session-end') {
        this.ended.add(id);
        changed = this.live.delete(id) || changed;
        continue;
      }
      if (row.kind === 'session-start') {
        if (this.ended.has(id) || this.live.has(id)) continue;
        const pid = row.detail?.pid;
        this.live.set(id, {
          projectId: row.projectId,
          clientName: row.client?.name ?? UNKNOWN_CLIENT,
          calls: [],
          counted: new Set(),
          errors: 0,
          ...(typeof pid === 'number' && { pid }),
        });
        changed = true;
        continue;
      }
      const live = this.live.get(id);
      if (!live) continue;
      if (row.client?.name && live.clientName !== row.client.name) {
        live.clientName = row.client.name;
        changed = true;
      }
      if (this.isLoading && (row.status === 'error' || row.kind === 'error')) {
        live.errors++;
        figures = true;
      }
      figures = this.countCall(row) || figures;
    }
    return changed || (figures && 'figures');
  }
}

/** Drops calls older than `since`, so a busy session holds at most a minute of them. */
function prune(live: Live, since: number): void {
  let n = 0;
  while (n < live.calls.length && live.calls[n]!.at < since)
    live.counted.delete(live.calls[n++]!.ref);
  if (n > 0) live.calls.splice(0, n);
}
