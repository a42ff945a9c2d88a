import type { AuditRow } from '../audit/audit-store.js';
import { BridgeErrorCode } from '../bridge/protocol.js';
import { AuditFold, byTime } from './audit-fold.js';
import type { TrayProblemInfo } from './tray-state.js';

/** How far back a startup looks for a failure that has not been followed by a success. */
const LOOKBACK = '1h';

/**
 * Upstream auth failures seen by bridges, from the audit log: a project is "failing" from an
 * error with the bridge's AUTH code (401/403, or no usable credential) until one of its
 * requests succeeds again. Feeds the tray's attention state and the "Sign-in failed" notice.
 */
export class AuthFailures extends AuditFold {
  private readonly failing = new Map<string, { at: string; message: string; name: string }>();

  async list(): Promise<TrayProblemInfo[]> {
    await this.load();
    return [...this.failing].map(([projectId, f]) => ({
      projectId,
      kind: 'auth-failed' as const,
      message: `${f.name}: sign-in failed — ${f.message}`,
    }));
  }

  protected async initial(): Promise<void> {
    const [errors, oks] = await Promise.all([
      this.audit.query({ status: 'error', since: LOOKBACK }, { limit: 2000 }),
      this.audit.query({ status: 'ok', since: LOOKBACK }, { limit: 2000 }),
    ]);
    this.apply([...errors.events, ...oks.events].sort(byTime));
  }

  protected apply(rows: readonly AuditRow[]): boolean {
    let changed = false;
    for (const row of rows) {
      if (!row.projectId) continue;
      if (row.errorCode === BridgeErrorCode.AUTH) {
        const previous = this.failing.get(row.projectId);
        if (!previous || previous.at <= row.ts) {
          this.failing.set(row.projectId, {
            at: row.ts,
            name: row.projectName ?? row.projectId,
            message:
              firstSentence(row.errorMessage) ??
              'rotate the token or sign in again in Switchboard.',
          });
          changed = changed || !previous;
        }
      } else if (row.kind === 'response' && row.status === 'ok') {
        const previous = this.failing.get(row.projectId);
        if (previous && previous.at <= row.ts) {
          this.failing.delete(row.projectId);
          changed = true;
        }
      }
    }
    return changed;
  }
}

/** The bridge's messages name the project and the fix; keep the part after the project. */
function firstSentence(message: string | undefined): string | undefined {
  if (!message) return undefined;
  const text = message.replace(/^Switchboard \([^)]*\):\s*/, '').trim();
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}
