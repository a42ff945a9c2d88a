import { app } from 'electron';
import { isAutostartEnabled, setAutostart } from '../../app/platform/autostart.js';

/** The argument a login launch passes, so the app starts in the tray without a window. */
export const HIDDEN_ARG = '--hidden';

export interface LoginItem {
  get(): Promise<boolean>;
  set(enabled: boolean): Promise<void>;
}

/**
 * Launch at login: Electron's login items on macOS and Windows; an XDG autostart .desktop entry
 * on Linux, which Electron does not support. From an AppImage the entry must run the AppImage
 * (APPIMAGE), not the binary inside its temporary mount.
 */
export function loginItem(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
): LoginItem {
  if (platform === 'darwin' || platform === 'win32') {
    return {
      get: async () => app.getLoginItemSettings({ args: [HIDDEN_ARG] }).openAtLogin,
      set: async (enabled) =>
        app.setLoginItemSettings({ openAtLogin: enabled, args: [HIDDEN_ARG] }),
    };
  }
  const exec = env.APPIMAGE ?? process.execPath;
  // From a checkout, the Electron binary needs the app's folder as its first argument.
  const args = app.isPackaged ? [HIDDEN_ARG] : [app.getAppPath(), HIDDEN_ARG];
  return {
    get: () => isAutostartEnabled(env),
    set: (enabled) => setAutostart(enabled, { exec, args, env }),
  };
}

/** Started by a login item: macOS reports it; Windows and Linux pass HIDDEN_ARG. */
export function launchedAtLogin(argv: readonly string[], platform = process.platform): boolean {
  if (argv.includes(HIDDEN_ARG)) return true;
  return platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin === true;
}
