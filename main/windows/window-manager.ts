import { BrowserWindow } from 'electron';
import type { AuditTarget } from '../../app/tray/main-route.js';
import { createAuditWindow, showAuditFor } from './audit-window.js';
import { syncDock, type Dock } from './dock.js';
import { createMainWindow, rendererUrl, type WindowPaths } from './main-window.js';

/** Owns the two windows (main, audit): creates them on demand and keeps the Dock in step. */
export class WindowManager {
  private main: BrowserWindow | undefined;
  private audit: BrowserWindow | undefined;

  constructor(
    private readonly paths: WindowPaths,
    private readonly isQuitting: () => boolean,
    private readonly dock: Dock | undefined,
  ) {}

  /** Shows the main window; with a route (`mainRoute`), on that project, panel or preview. */
  showMain(route = ''): void {
    if (!this.main || this.main.isDestroyed()) {
      this.main = this.track(createMainWindow(this.paths, this.isQuitting, route));
    } else if (route) {
      void this.main.loadURL(rendererUrl(this.paths, route));
    }
    this.main.show();
    this.main.focus();
  }

  showAudit(target: AuditTarget = {}): void {
    if (!this.audit || this.audit.isDestroyed()) {
      this.audit = this.track(createAuditWindow(this.paths, target));
      return;
    }
    showAuditFor(this.audit, this.paths, target);
  }

  private track(win: BrowserWindow): BrowserWindow {
    const sync = () => syncDock(this.dock, BrowserWindow.getAllWindows());
    win.on('show', sync);
    win.on('hide', sync);
    win.on('closed', () => setImmediate(sync));
    return win;
  }
}
