import os from 'node:os';
import path from 'node:path';

export const APP_NAME = 'Switchboard';

export interface PlatformEnv {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  home: string;
}

export function currentPlatformEnv(): PlatformEnv {
  return { platform: process.platform, env: process.env, home: os.homedir() };
}

/**
 * Electron's `app.getPath('appData')` for the platform, computed without Electron so the CLI
 * and the bridge find the same place as the app.
 */
export function appDataDir({ platform, env, home }: PlatformEnv): string {
  const p = platform === 'win32' ? path.win32 : path.posix;
  if (platform === 'darwin') return p.join(home, 'Library', 'Application Support');
  if (platform === 'win32') return env.APPDATA || p.join(home, 'AppData', 'Roaming');
  return env.XDG_CONFIG_HOME || p.join(home, '.config');
}

/** Electron's `userData` for app name "Switchboard", unless SWITCHBOARD_HOME overrides it. */
export function dataDir(pe: PlatformEnv = currentPlatformEnv()): string {
  const override = pe.env.SWITCHBOARD_HOME;
  if (override) return path.resolve(override);
  const p = pe.platform === 'win32' ? path.win32 : path.posix;
  return p.join(appDataDir(pe), APP_NAME);
}
