import { Menu, Tray, nativeImage } from 'electron';
import type { TrayItem, TrayState } from '../../app/tray/tray-model.js';
import { trayNotices, type TrayNotice } from '../../app/tray/tray-notices.js';
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
  notify: (notice: TrayNotice) => void;
  /**
   * Token expiry, sessions and installs have no change feed of their own yet, so the menu is
   * also recomputed on this period; an unchanged menu is not rebuilt.
   */
  pollMs?: number;
}

/** Owns the native tray: icon, tooltip and context menu, rebuilt whenever the state changes. */
export class TrayController {
  private tray: Tray | undefined;
  private items: TrayItem[] = [];
  private state: TrayState | undefined;
  private rendered = '';
  private running: Promise<void> | undefined;
  private again = false;
  private watcher: { close(): void } | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: TrayControllerOptions) {}

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
    const state = await collectTrayState(this.opts.sources);
    for (const notice of trayNotices(this.state, state)) this.opts.notify(notice);
    this.state = state;
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
