import { BrowserWindow } from 'electron';
import { rendererUrl, type WindowPaths } from './main-window.js';
import { secureWebPreferences } from './web-preferences.js';

/** The renderer route of the audit window, optionally filtered to one project. */
export function auditRoute(projectId?: string): string {
  return projectId ? `/audit?project=${encodeURIComponent(projectId)}` : '/audit';
}

/**
 * The live audit feed in its own window: the same renderer and preload at `#/audit`. Unlike the
 * main window it is destroyed on close, so the rows it holds are freed.
 */
export function createAuditWindow(paths: WindowPaths, projectId?: string): BrowserWindow {
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
  void win.loadURL(rendererUrl(paths, auditRoute(projectId)));
  return win;
}

/** Points an open audit window at another project (an in-page hash change, no reload). */
export function showAuditFor(win: BrowserWindow, paths: WindowPaths, projectId?: string): void {
  void win.loadURL(rendererUrl(paths, auditRoute(projectId)));
  win.show();
  win.focus();
}
