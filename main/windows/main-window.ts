import path from 'node:path';
import { BrowserWindow } from 'electron';
import { APP_HOST, APP_SCHEME } from '../ipc/trusted-sender.js';
import { secureWebPreferences } from './web-preferences.js';

export interface WindowPaths {
  preload: string;
  devServerUrl?: string;
}

export function rendererUrl(paths: WindowPaths, hash = ''): string {
  const base = paths.devServerUrl ?? `${APP_SCHEME}://${APP_HOST}/index.html`;
  return hash ? `${base}#${hash}` : base;
}

/** The main window hides on close: the app keeps running in the tray. */
export function createMainWindow(
  paths: WindowPaths,
  isQuitting: () => boolean,
  route = '',
): BrowserWindow {
  const win = new BrowserWindow({
    width: 960,
    height: 680,
    minWidth: 640,
    minHeight: 420,
    show: false,
    title: 'Switchboard',
    webPreferences: secureWebPreferences(paths.preload),
  });
  win.once('ready-to-show', () => win.show());
  win.on('close', (event) => {
    if (!isQuitting()) {
      event.preventDefault();
      win.hide();
    }
  });
  void win.loadURL(rendererUrl(paths, route));
  return win;
}

export function preloadPath(mainDir: string): string {
  return path.join(mainDir, '..', 'preload', 'index.cjs');
}
