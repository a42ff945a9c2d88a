import type { AuditRow, AuditStore } from '../audit/audit-store.js';
import type { TraySessionInfo } from './tray-state.js';

type AuditReader = Pick<AuditStore, 'sessions' | 'query' | 'subscribe'>;

interface Live {
  projectId: string;
  clientName: string;
  pid?: number;
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
const UNKNOWN_CLIENT = 'unknown client';

/**
 * Running bridge sessions, from the audit log: a session is active from its `session-start`
 * until its `session-end`. A bridge that was killed never writes its end, so the pid recorded
 * in `session-start` is also checked. Loaded once, then kept current from the audit tail.
 */
export class ActiveSessions {
  private readonly live = new Map<string, Live>();
  private readonly ended = new Set<string>();
  private loaded: Promise<void> | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly audit: AuditReader,
    private readonly isAlive: (pid: number) => boolean = pidAlive,
  ) {}

  /** Starts tailing; `onChange` fires when a session starts or ends. Returns the stop function. */
  start(onChange: () => void): () => void {
    this.unsubscribe = this.audit.subscribe((rows) => {
      if (this.apply(rows)) onChange();
    });
    void this.load().then(onChange, () => undefined);
    return () => this.unsubscribe?.();
  }

  async list(): Promise<TraySessionInfo[]> {
    await this.load();
    const out: TraySessionInfo[] = [];
    for (const [id, s] of this.live) {
      if (s.pid !== undefined && !this.isAlive(s.pid)) {
        this.live.delete(id);
        continue;
      }
      out.push({ projectId: s.projectId, clientName: s.clientName });
    }
    return out;
  }

  private load(): Promise<void> {
    this.loaded ??= (async () => {
      const [tree, starts, ends] = await Promise.all([
        this.audit.sessions(),
        this.audit.query({ text: 'session-start', since: LOOKBACK }, { limit: 5000 }),
        this.audit.query({ text: 'session-end', since: LOOKBACK }, { limit: 5000 }),
      ]);
      this.apply([...starts.events, ...ends.events].sort(byTime));
      // The sessions tree knows each session's client (from `initialize`).
      for (const project of tree) {
        for (const client of project.clients) {
          for (const session of client.sessions) {
            const live = this.live.get(session.sessionId);
            if (live && live.clientName === UNKNOWN_CLIENT) live.clientName = client.client;
          }
        }
      }
    })();
    this.loaded.catch(() => (this.loaded = undefined));
    return this.loaded;
  }

  /** Folds events in; returns whether the set of running sessions changed. */
  private apply(rows: readonly AuditRow[]): boolean {
    let changed = false;
    for (const row of rows) {
      const id = row.sessionId;
      if (!id) continue;
      if (row.kind === 'session-end') {
        this.ended.add(id);
        changed = this.live.delete(id) || changed;
      } else if (row.kind === 'session-start' && !this.ended.has(id) && !this.live.has(id)) {
        const pid = row.detail?.pid;
        this.live.set(id, {
          projectId: row.projectId,
          clientName: row.client?.name ?? UNKNOWN_CLIENT,
          ...(typeof pid === 'number' && { pid }),
        });
        changed = true;
      } else if (row.client?.name) {
        const live = this.live.get(id);
        if (live && live.clientName !== row.client.name) {
          live.clientName = row.client.name;
          changed = true;
        }
      }
    }
    return changed;
  }
}

function byTime(a: AuditRow, b: AuditRow): number {
  return a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : a.seq - b.seq;
}
