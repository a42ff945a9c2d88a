import type { AuditRow } from '../audit/audit-store.js';
import { BridgeErrorCode } from '../bridge/protocol.js';
import { AuditFold, type AuditTail } from './audit-fold.js';
import type { TrayProblemInfo } from './tray-state.js';

/** A refusal older than this no longer means "a client keeps trying". */
export const TRYING_WINDOW_MS = 10 * 60_000;

/**
 * Clients that keep calling a disconnected project, from the audit log: each request a bridge
 * refuses because of the kill switch is an error with the DISCONNECTED code. The tray shows
 * "Reconnect" for a project refused within the last ten minutes (while it is still off).
 */
export class DisconnectedAttempts extends AuditFold {
  private readonly last = new Map<
    string,
    { at: number; client?: string; name: string; count: number }
  >();

  constructor(
    audit: AuditTail,
    private readonly now: () => number = Date.now,
  ) {
    super(audit);
  }

  async list(): Promise<TrayProblemInfo[]> {
    await this.load();
    const since = this.now() - TRYING_WINDOW_MS;
    return [...this.last]
      .filter(([, a]) => a.at >= since)
      .map(([projectId, a]) => ({
        projectId,
        kind: 'disconnected-trying' as const,
        message: `${a.client ?? 'A client'} tried ${a.name} ${a.count === 1 ? 'once' : `${a.count} times`} while it is disconnected — reconnect it if that is wanted.`,
        tries: { count: a.count, ...(a.client !== undefined && { client: a.client }) },
      }));
  }

  protected async initial(): Promise<void> {
    const since = new Date(this.now() - TRYING_WINDOW_MS).toISOString();
    const page = await this.audit.query({ status: 'error', since }, { limit: 5000 });
    this.apply([...page.events].reverse());
  }

  protected apply(rows: readonly AuditRow[]): boolean {
    let changed = false;
    for (const row of rows) {
      if (row.errorCode !== BridgeErrorCode.DISCONNECTED || !row.projectId) continue;
      const at = Date.parse(row.ts);
      if (Number.isNaN(at)) continue;
      const previous = this.last.get(row.projectId);
      const fresh = !previous || previous.at < this.now() - TRYING_WINDOW_MS;
      this.last.set(row.projectId, {
        at: Math.max(at, previous?.at ?? 0),
        name: row.projectName ?? row.projectId,
        count: fresh ? 1 : previous.count + 1,
        ...((row.client?.name ?? previous?.client) !== undefined && {
          client: row.client?.name ?? previous?.client,
        }),
      });
      changed = changed || fresh;
    }
    return changed;
  }
}
