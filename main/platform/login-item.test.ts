import fs from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { autostartPath } from '../../app/platform/autostart.js';
import { makeTempHome, type TempHome } from '../../app/testing/temp-home.js';

// Electron cannot run here (no binary): `app` records login-item settings like the OS would.
const loginSettings = { openAtLogin: false, wasOpenedAtLogin: false };
const setCalls: unknown[] = [];
vi.mock('electron', () => ({
  app: {
    isPackaged: true,
    getAppPath: () => '/opt/Switchboard/resources/app.asar',
    getLoginItemSettings: () => ({ ...loginSettings }),
    setLoginItemSettings: (s: { openAtLogin: boolean }) => {
      setCalls.push(s);
      loginSettings.openAtLogin = s.openAtLogin;
    },
  },
}));

const { loginItem, launchedAtLogin, HIDDEN_ARG } = await import('./login-item.js');

let tmp: TempHome;
beforeEach(async () => {
  tmp = await makeTempHome();
  setCalls.length = 0;
  loginSettings.openAtLogin = false;
});
afterEach(() => tmp.cleanup());

describe('launch at login', () => {
  it('uses Electron login items on macOS and Windows, with the hidden flag', async () => {
    for (const platform of ['darwin', 'win32'] as const) {
      const item = loginItem(platform, tmp.env);
      expect(await item.get()).toBe(false);
      await item.set(true);
      expect(await item.get()).toBe(true);
      await item.set(false);
      expect(await item.get()).toBe(false);
    }
    expect(setCalls).toEqual([
      { openAtLogin: true, args: [HIDDEN_ARG] },
      { openAtLogin: false, args: [HIDDEN_ARG] },
      { openAtLogin: true, args: [HIDDEN_ARG] },
      { openAtLogin: false, args: [HIDDEN_ARG] },
    ]);
    // Nothing was written under the test HOME.
    await expect(fs.access(autostartPath(tmp.env))).rejects.toThrow();
  });

  it('writes an XDG autostart entry on Linux that runs the AppImage hidden', async () => {
    const env = { ...tmp.env, APPIMAGE: `${tmp.home}/Apps/Switchboard 1.0.AppImage` };
    const item = loginItem('linux', env);
    expect(await item.get()).toBe(false);
    await item.set(true);
    expect(await item.get()).toBe(true);
    const text = await fs.readFile(autostartPath(env), 'utf8');
    expect(text).toContain(`Exec="${tmp.home}/Apps/Switchboard 1.0.AppImage" --hidden\n`);
    await item.set(false);
    expect(await item.get()).toBe(false);
    expect(setCalls).toEqual([]);
  });

  it('knows when it was started by a login item', () => {
    expect(launchedAtLogin(['/opt/sb/switchboard', '--hidden'], 'linux')).toBe(true);
    expect(launchedAtLogin(['/opt/sb/switchboard'], 'linux')).toBe(false);
    loginSettings.wasOpenedAtLogin = true;
    expect(launchedAtLogin(['/Applications/Switchboard.app/x'], 'darwin')).toBe(true);
    expect(launchedAtLogin(['C:\\sb.exe'], 'win32')).toBe(false);
    loginSettings.wasOpenedAtLogin = false;
  });
});
