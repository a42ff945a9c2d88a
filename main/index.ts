import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow } from 'electron';
import { createDispatcher } from '../app/contract/dispatch.js';
import { startEventFeeds } from '../app/ipc/event-feeds.js';
import { createHandlers } from '../app/ipc/handlers.js';
import { createServices } from '../app/services.js';
import { makeEmit, registerIpc } from './ipc/register-ipc.js';
import { registerAppScheme, serveRenderer } from './security/app-protocol.js';
import { installGlobalGuards } from './security/guards.js';
import { createMainWindow, preloadPath } from './windows/main-window.js';

const mainDir = path.dirname(fileURLToPath(import.meta.url));
const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;
let quitting = false;
let mainWindow: BrowserWindow | undefined;

function showMainWindow(): void {
  if (!mainWindow || mainWindow.isDestroyed()) {
    mainWindow = createMainWindow({ preload: preloadPath(mainDir), devServerUrl }, () => quitting);
  }
  mainWindow.show();
  mainWindow.focus();
}

// A second launch focuses the running instance instead of starting another.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  registerAppScheme();
  app.on('second-instance', () => showMainWindow());
  app.on('before-quit', () => {
    quitting = true;
  });
  // The app lives in the tray: closing every window does not quit it.
  app.on('window-all-closed', () => undefined);

  void app.whenReady().then(() => {
    installGlobalGuards(devServerUrl);
    serveRenderer(path.join(mainDir, '..', 'renderer'));
    const services = createServices();
    const dispatch = createDispatcher(createHandlers(services));
    registerIpc(dispatch, devServerUrl);
    const stopFeeds = startEventFeeds(
      services,
      makeEmit(() => BrowserWindow.getAllWindows().map((w) => w.webContents)),
    );
    app.on('will-quit', stopFeeds);
    showMainWindow();
    app.on('activate', () => showMainWindow());
  });
}
