import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, shell as electronShell } from 'electron';
import { createDispatcher } from '../app/contract/dispatch.js';
import { startEventFeeds } from '../app/ipc/event-feeds.js';
import { createHandlers } from '../app/ipc/handlers.js';
import { checkDataDir } from '../app/paths/data-dir-guard.js';
import { dataDir as defaultDataDir } from '../app/paths/data-dir.js';
import { createServices } from '../app/services.js';
import { NotificationGate } from '../app/notifications/notification-gate.js';
import { watchAuthStatuses } from '../app/oauth/auth-status.js';
import {
  loadNotificationMemory,
  saveNotificationMemory,
} from '../app/notifications/notification-memory.js';
import { runTrayAction, type ShellHooks } from '../app/tray/run-tray-action.js';
import { ActiveSessions } from '../app/tray/active-sessions.js';
import { AuthFailures } from '../app/tray/auth-failures.js';
import { DisconnectedAttempts } from '../app/tray/disconnected-attempts.js';
import { mainRoute } from '../app/tray/main-route.js';
import { trayActionDepsFrom, traySourcesFrom } from '../app/tray/tray-sources.js';
import { maybeRegisterE2eHooks } from './e2e/e2e-hooks.js';
import { makeEmit, registerIpc } from './ipc/register-ipc.js';
import { showNotification } from './notifications/notify.js';
import { launchedAtLogin, loginItem } from './platform/login-item.js';
import { registerAppScheme, serveRenderer } from './security/app-protocol.js';
import { installGlobalGuards } from './security/guards.js';
import { showFailureDialog } from './tray/failure-dialog.js';
import { TrayController } from './tray/tray-controller.js';
import { checkoutRoot, trayResourcesDir } from './tray/tray-icons.js';
import { preloadPath } from './windows/main-window.js';
import { WindowManager } from './windows/window-manager.js';

const mainDir = path.dirname(fileURLToPath(import.meta.url));
const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;
let quitting = false;
const windows = new WindowManager(
  { preload: preloadPath(mainDir), devServerUrl },
  () => quitting,
  process.platform === 'darwin' ? app.dock : undefined,
);

async function start(): Promise<void> {
  installGlobalGuards(devServerUrl);
  serveRenderer(path.join(mainDir, '..', 'renderer'));
  // A data dir another user can change is refused before anything reads it (as the CLI and
  // every bridge do): say why and how to fix it, then quit.
  try {
    checkDataDir(defaultDataDir());
  } catch (error) {
    dialog.showErrorBox('Switchboard cannot start', (error as Error).message);
    app.quit();
    return;
  }
  const services = createServices({
    source: 'app',
    auditWorker: path.join(mainDir, 'audit-worker.js'),
  });
  const login = loginItem();
  const dispatch = createDispatcher(
    createHandlers(services, {
      // Settings' switch; the tray's check mark follows at once (the tray exists by the first call).
      launchAtLogin: {
        get: () => login.get(),
        set: (on) => login.set(on).then(() => tray.refresh()),
      },
      // OAuth sign-in: the URL is validated (http(s) only) before it gets here; never a shell.
      openExternal: (url) => electronShell.openExternal(url),
    }),
  );
  registerIpc(dispatch, devServerUrl);
  const stopFeeds = startEventFeeds(
    services,
    makeEmit(() => BrowserWindow.getAllWindows().map((w) => w.webContents)),
  );

  const notify = (n: { title: string; body: string }) =>
    void showNotification(n, () => windows.showMain());
  const shell: ShellHooks = {
    openMainWindow: (target) => windows.showMain(mainRoute(target)),
    openAuditWindow: (target) => windows.showAudit(target),
    setLaunchAtLogin: (enabled) => login.set(enabled),
    notify,
    // "Open details" runs the failure's own action (a window on the project or its audit log).
    // Not awaited: the action is over; the dialog stays until the user answers it.
    showFailure: (failure) =>
      void showFailureDialog(failure).then(
        async (open) => {
          if (open) await runTrayAction(failure.details, deps);
        },
        () => notify({ title: failure.title, body: failure.message }),
      ),
    quit: () => app.quit(),
  };
  // Running sessions, upstream auth failures and refused calls come from the audit log's tail.
  const sessions = new ActiveSessions(services.audit);
  const authFailures = new AuthFailures(services.audit);
  const attempts = new DisconnectedAttempts(services.audit);
  // A corrupt notifications.json is left alone: notices then start from a clean memory.
  const memory = await loadNotificationMemory(services.dataDir).catch(() => undefined);
  const remember = (m: Parameters<typeof saveNotificationMemory>[1]) =>
    void saveNotificationMemory(services.dataDir, m).catch(() => undefined);
  const deps = trayActionDepsFrom(services, shell, {
    snooze: (keys) => tray.snooze(keys),
  });
  const tray: TrayController = new TrayController({
    sources: traySourcesFrom(services, {
      launchAtLogin: () => login.get(),
      sessions,
      authFailures,
      disconnectedAttempts: attempts,
    }),
    deps,
    platform: process.platform,
    trayDir: trayResourcesDir({
      isPackaged: app.isPackaged,
      resourcesPath: process.resourcesPath,
      appRoot: checkoutRoot(mainDir),
    }),
    // Projects (the kill switch), tokens (rotation, expiry) and sign-in states change on disk
    // from any process.
    watch: (onChange) => {
      const watchers = [
        services.projects.watch(onChange),
        services.tokens.watch(onChange),
        watchAuthStatuses(services.dataDir, onChange),
        services.provisioning.watch(onChange),
      ];
      return { close: () => watchers.forEach((w) => w.close()) };
    },
    gate: new NotificationGate(memory),
    remember,
    // Clicking a notice opens its Switchboard window (never a browser: sign-in needs a click there).
    notify: (notice) =>
      void showNotification(
        notice,
        () => void runTrayAction(notice.target, deps),
        () => void tray.snooze([notice.key]),
      ),
  });
  await tray.start();
  const stopSessions = sessions.start(() => void tray.refresh());
  const stopAuthFailures = authFailures.start(() => void tray.refresh());
  const stopAttempts = attempts.start(() => void tray.refresh());
  maybeRegisterE2eHooks(process.env, {
    trayMenu: async () => {
      await tray.refresh();
      return tray.menu();
    },
    trayAction: (id) => tray.click(id),
  });
  app.on('will-quit', () => {
    stopFeeds();
    stopSessions();
    stopAuthFailures();
    stopAttempts();
    tray.dispose();
    services.audit.close();
  });
  // Launched at login: stay in the tray until the user opens a window.
  if (!launchedAtLogin(process.argv)) windows.showMain();
  app.on('activate', () => windows.showMain());
}

// A second launch focuses the running instance instead of starting another.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  registerAppScheme();
  app.on('second-instance', () => windows.showMain());
  app.on('before-quit', () => {
    quitting = true;
  });
  // The app lives in the tray: closing every window does not quit it.
  app.on('window-all-closed', () => undefined);
  void app.whenReady().then(start);
}
