import { BrowserWindow } from 'electron';
import { auditRoute, type AuditTarget } from '../../app/tray/main-route.js';
import { rendererUrl, type WindowPaths } from './main-window.js';
import { secureWebPreferences } from './web-preferences.js';

/**
 * The live audit feed in its own window: the same renderer and preload at `#/audit`. Unlike the
 * main window it is destroyed on close, so the rows it holds are freed.
 */
export function createAuditWindow(paths: WindowPaths, target: AuditTarget = {}): BrowserWindow {
  const win = new BrowserWindow({
    width: 1100,
    height: 720,
    minWidth: 720,
    minHeight: 420,
    show: false,
    title: 'Switchboard — Audit',
    webPreferences: secureWebPreferences(paths.preload),
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(rendererUrl(paths, auditRoute(target)));
  return win;
}

/** Points an open audit window at another project or session (an in-page hash change). */
export function showAuditFor(
  win: BrowserWindow,
  paths: WindowPaths,
  target: AuditTarget = {},
): void {
  void win.loadURL(rendererUrl(paths, auditRoute(target)));
  win.show();
  win.focus();
}
