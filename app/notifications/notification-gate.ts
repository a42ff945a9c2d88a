import { attentionRows, type AttentionRow } from '../tray/attention.js';
import type { TrayAction, TrayState } from '../tray/tray-model.js';

export const SNOOZE_MS = 86_400_000;
/** A cause that cleared and came back within this long is not announced again. */
export const REPEAT_MS = 3_600_000;

export interface Notice {
  /** `<projectId>:<cause>`: the OS replaces rather than stacks notices with the same key. */
  key: string;
  title: string;
  body: string;
  /** What clicking it opens: a Switchboard window, never a browser. */
  target: TrayAction;
}

/** What the gate remembers; plain JSON, so main can keep it across restarts. */
export interface GateMemory {
  /** key → epoch ms it was last announced. */
  shown: Record<string, number>;
  /** key → epoch ms its snooze ends. */
  snoozedUntil: Record<string, number>;
}

const TITLE: Record<AttentionRow['verb'], string> = {
  'Sign in': 'Sign-in needed',
  'Grant permission': 'Permission needed',
  'Rotate token': 'Token needs rotating',
  'Re-provision': 'Endpoint needs re-provisioning',
  Reconnect: 'A client keeps trying a disconnected project',
};

/**
 * Decides which "needs attention" rows become OS notifications: only rows that ask for action,
 * once per project and cause while it lasts (three 401s in a row are one notice), not again
 * within an hour after it cleared, and not at all while snoozed (24 h).
 */
export class NotificationGate {
  private readonly memory: GateMemory;
  /** Keys active at the last pass: a cause still active is never re-announced. */
  private active = new Set<string>();

  constructor(memory?: GateMemory) {
    this.memory = {
      shown: { ...(memory?.shown ?? {}) },
      snoozedUntil: { ...(memory?.snoozedUntil ?? {}) },
    };
  }

  /** The notices to show for the rows of this pass. */
  next(rows: readonly AttentionRow[], now: number): Notice[] {
    const out: Notice[] = [];
    const active = new Set<string>();
    for (const row of rows) {
      if (!row.notify) continue;
      active.add(row.key);
      if (this.active.has(row.key)) continue;
      if ((this.memory.snoozedUntil[row.key] ?? 0) > now) continue;
      const last = this.memory.shown[row.key];
      if (last !== undefined && now - last < REPEAT_MS) continue;
      this.memory.shown[row.key] = now;
      out.push({
        key: row.key,
        title: TITLE[row.verb],
        body: `${row.message} (${row.verb} from the Switchboard tray.)`,
        target: row.notificationTarget,
      });
    }
    this.active = active;
    this.forgetExpired(now);
    return out;
  }

  /** "Snooze for a day": no notice for these keys until the snooze ends. */
  snooze(keys: readonly string[], now: number): void {
    for (const key of keys) this.memory.snoozedUntil[key] = now + SNOOZE_MS;
  }

  isSnoozed(key: string, now: number): boolean {
    return (this.memory.snoozedUntil[key] ?? 0) > now;
  }

  /** The state with its snoozed attention keys filled in, for the menu to say so. */
  annotate(state: TrayState, now: number): TrayState {
    const snoozed = attentionRows(state)
      .filter((r) => r.notify && this.isSnoozed(r.key, now))
      .map((r) => r.key);
    return snoozed.length > 0 ? { ...state, snoozed } : state;
  }

  snapshot(): GateMemory {
    return { shown: { ...this.memory.shown }, snoozedUntil: { ...this.memory.snoozedUntil } };
  }

  /** Keeps the memory small: old announcements and finished snoozes are dropped. */
  private forgetExpired(now: number): void {
    for (const [key, at] of Object.entries(this.memory.shown)) {
      if (now - at >= SNOOZE_MS && !this.active.has(key)) delete this.memory.shown[key];
    }
    for (const [key, until] of Object.entries(this.memory.snoozedUntil)) {
      if (until <= now) delete this.memory.snoozedUntil[key];
    }
  }
}
