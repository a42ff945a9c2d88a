import { Menu, Tray, nativeImage } from 'electron';
import {
  NotificationGate,
  type GateMemory,
  type Notice,
} from '../../app/notifications/notification-gate.js';
import { attentionRows } from '../../app/tray/attention.js';
import type { TrayItem } from '../../app/tray/tray-model.js';
import {
  clickTrayItem,
  runTrayAction,
  type TrayActionDeps,
  type TrayActionResult,
} from '../../app/tray/run-tray-action.js';
import { collectTrayState, type TraySources } from '../../app/tray/tray-state.js';
import { aggregateStatus, buildTrayTemplate, trayTitle } from '../../app/tray/tray-template.js';
import { toMenuTemplate } from './to-electron-menu.js';
import { trayIconFile } from './tray-icons.js';

export interface TrayControllerOptions {
  sources: TraySources;
  deps: TrayActionDeps;
  platform: NodeJS.Platform;
  trayDir: string;
  /** Calls back on any change to the projects file (from any process). */
  watch: (onChange: () => void) => { close(): void };
  /** Shows a notice the gate let through (deduplicated, not snoozed). */
  notify: (notice: Notice) => void;
  /** Decides which attention rows become notices; main keeps its memory on disk. */
  gate?: NotificationGate;
  /** Called with the gate's memory whenever it changed (a notice shown, a snooze). */
  remember?: (memory: GateMemory) => void;
  /**
   * Token expiry, calls per minute and installs have no change feed of their own, so the menu
   * is also recomputed on this period; an unchanged menu is not rebuilt.
   */
  pollMs?: number;
}

/** Owns the native tray: icon, tooltip and context menu, rebuilt whenever the state changes. */
export class TrayController {
  private tray: Tray | undefined;
  private items: TrayItem[] = [];
  private readonly gate: NotificationGate;
  private rendered = '';
  private running: Promise<void> | undefined;
  private again = false;
  private watcher: { close(): void } | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: TrayControllerOptions) {
    this.gate = opts.gate ?? new NotificationGate();
  }

  start(): Promise<void> {
    this.tray = new Tray(nativeImage.createFromPath(this.iconFor('disconnected')));
    this.tray.setToolTip('Switchboard');
    this.watcher = this.opts.watch(() => void this.refresh());
    this.timer = setInterval(() => void this.refresh(), this.opts.pollMs ?? 10_000);
    return this.refresh();
  }

  /** The menu as last built (plain data), for tests and the e2e hooks. */
  menu(): TrayItem[] {
    return this.items;
  }

  /**
   * Recomputes the state and rebuilds the native menu if anything changed. Calls made while a
   * refresh runs are folded into one more pass, so bursts of changes cost two passes at most.
   */
  refresh(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.rebuild();
      } while (this.again);
    })().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Clicks a menu item by id in a fresh menu (the e2e hooks' path), then refreshes. */
  async click(id: string): Promise<TrayActionResult> {
    await this.refresh();
    const result = await clickTrayItem(this.items, id, this.opts.deps);
    await this.refresh();
    return result;
  }

  /** "Snooze for a day" (from a notification or the menu) for these attention keys. */
  snooze(keys: readonly string[]): Promise<void> {
    this.gate.snooze(keys, Date.now());
    this.opts.remember?.(this.gate.snapshot());
    return this.refresh();
  }

  dispose(): void {
    this.watcher?.close();
    if (this.timer) clearInterval(this.timer);
    this.tray?.destroy();
    this.tray = undefined;
  }

  private iconFor(status: ReturnType<typeof aggregateStatus>): string {
    return trayIconFile(this.opts.platform, status, this.opts.trayDir);
  }

  private async rebuild(): Promise<void> {
    const collected = await collectTrayState(this.opts.sources);
    const now = collected.now ?? Date.now();
    const notices = this.gate.next(attentionRows(collected), now);
    const state = this.gate.annotate(collected, now);
    for (const notice of notices) this.opts.notify(notice);
    if (notices.length > 0) this.opts.remember?.(this.gate.snapshot());
    const items = buildTrayTemplate(state);
    const status = aggregateStatus(state);
    const key = JSON.stringify([status, items]);
    this.items = items;
    if (!this.tray || key === this.rendered) return;
    this.rendered = key;
    this.tray.setImage(nativeImage.createFromPath(this.iconFor(status)));
    this.tray.setToolTip(trayTitle(state));
    // Linux only shows changes after setContextMenu is called again with a new menu.
    this.tray.setContextMenu(
      Menu.buildFromTemplate(
        toMenuTemplate(items, (action) => {
          void runTrayAction(action, this.opts.deps).then(() => this.refresh());
        }),
      ),
    );
  }
}
