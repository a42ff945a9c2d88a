import path from 'node:path';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { INVOKE_CHANNELS } from '../app/contract/channels.js';
import { createServices } from '../app/services.js';
import { REPO_ROOT } from '../app/testing/run-cli.js';
import { makeTempHome, type TempHome } from '../app/testing/temp-home.js';
import type { E2eHooks } from './e2e/e2e-hooks.js';

// Electron cannot run here (no binary). This mock is a small but faithful stand-in for the parts
// of Electron main/index.ts touches, so the whole composition (single-instance lock, protocol,
// guards, IPC, event feeds, windows, tray, login item, e2e hooks) boots for real in Node, on
// real services in a temp SWITCHBOARD_HOME.
type Fn = (...args: unknown[]) => unknown;
const h = vi.hoisted(() => {
  const state = {
    lock: true,
    quit: 0,
    appListeners: new Map<string, Fn[]>(),
    order: [] as string[],
    windows: [] as FakeWindowLike[],
    trays: [] as { image: string; menu: unknown[] }[],
    ipc: new Map<string, Fn>(),
  };
  interface FakeWindowLike {
    url: string;
    visible: boolean;
    destroyed: boolean;
    opts: { webPreferences: Record<string, unknown> };
    listeners: Map<string, Fn[]>;
    emit(event: string, ...args: unknown[]): void;
  }
  return { state };
});
const { state } = h;

vi.mock('electron', () => {
  const on = (map: Map<string, Fn[]>) => (event: string, fn: Fn) => {
    map.set(event, [...(map.get(event) ?? []), fn]);
  };
  class FakeWindow {
    url = '';
    visible = false;
    destroyed = false;
    listeners = new Map<string, Fn[]>();
    webContents = { send: () => undefined, isDestroyed: () => false };
    constructor(public opts: { webPreferences: Record<string, unknown> }) {
      state.windows.push(this);
    }
    static getAllWindows = () => state.windows.filter((w) => !w.destroyed);
    on = on(this.listeners);
    once = on(this.listeners);
    emit(event: string, ...args: unknown[]) {
      for (const fn of this.listeners.get(event) ?? []) fn(...args);
    }
    loadURL = async (url: string) => {
      this.url = url;
      this.emit('ready-to-show');
    };
    show = () => {
      this.visible = true;
      this.emit('show');
    };
    hide = () => {
      this.visible = false;
      this.emit('hide');
    };
    focus = () => undefined;
    isVisible = () => this.visible;
    isDestroyed = () => this.destroyed;
  }
  class FakeTray {
    image = '';
    menu: unknown[] = [];
    constructor(img: { path: string }) {
      this.image = img.path;
      state.trays.push(this);
    }
    setImage = (img: { path: string }) => (this.image = img.path);
    setToolTip = () => undefined;
    setContextMenu = (menu: unknown[]) => (this.menu = menu);
    destroy = () => undefined;
  }
  return {
    app: {
      isPackaged: false,
      requestSingleInstanceLock: () => {
        state.order.push('lock');
        return state.lock;
      },
      quit: () => void state.quit++,
      on: on(state.appListeners),
      whenReady: async () => {
        state.order.push('ready');
      },
      getAppPath: () => REPO_ROOT,
      getLoginItemSettings: () => ({ openAtLogin: false, wasOpenedAtLogin: false }),
      setLoginItemSettings: () => undefined,
    },
    BrowserWindow: FakeWindow,
    Tray: FakeTray,
    Menu: { buildFromTemplate: (t: unknown[]) => t },
    nativeImage: { createFromPath: (p: string) => ({ path: p }) },
    Notification: class {
      static isSupported = () => false;
    },
    ipcMain: {
      handle: (c: string, fn: Fn) => state.ipc.set(c, fn),
      removeHandler: (c: string) => state.ipc.delete(c),
    },
    protocol: {
      registerSchemesAsPrivileged: () => void state.order.push('scheme'),
      handle: () => void state.order.push('protocol'),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: () => undefined,
        setPermissionCheckHandler: () => undefined,
        setDevicePermissionHandler: () => undefined,
        setDisplayMediaRequestHandler: () => undefined,
        on: () => undefined,
      },
    },
    shell: { openExternal: async () => undefined },
  };
});

let tmp: TempHome;
const saved = { ...process.env };
const argv = process.argv;

async function until(check: () => boolean | Promise<boolean>, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(async () => {
  tmp = await makeTempHome();
  Object.assign(process.env, tmp.env, { SWITCHBOARD_E2E: '1' });
});
afterAll(async () => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
  process.argv = argv;
  for (const fn of state.appListeners.get('will-quit') ?? []) fn();
  await tmp.cleanup();
});

describe('main/index.ts composition', () => {
  it('boots: lock, scheme, guards, IPC, window, tray and e2e hooks, in order', async () => {
    await import('./index.js');
    await until(() => state.trays.length === 1 && state.windows.length === 1);
    expect(state.order.slice(0, 3)).toEqual(['lock', 'scheme', 'ready']);
    expect(state.order).toContain('protocol');
    expect([...state.ipc.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort());
    expect(state.appListeners.has('web-contents-created')).toBe(true);

    const [win] = state.windows;
    expect(win!.url).toBe('app://switchboard/index.html');
    expect(win!.visible).toBe(true);
    expect(win!.opts.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true });
    expect(String(win!.opts.webPreferences.preload)).toMatch(/preload[\\/]index\.cjs$/);

    const tray = state.trays[0]!;
    expect(tray.image).toBe(path.join(REPO_ROOT, 'build', 'tray', 'tray-linux-disconnected.png'));
    expect(fs.existsSync(tray.image)).toBe(true);
  });

  it('drives the real tray through globalThis.__e2e, on the real data dir', async () => {
    const hooks = (globalThis as { __e2e?: E2eHooks }).__e2e!;
    const services = createServices({ dataDir: tmp.dataDir, env: tmp.env });
    const p = await services.projects.add({ name: 'acme', url: 'https://a.test/mcp' });
    await until(async () => (await hooks.trayMenu()).some((i) => i.id === `project:${p.id}`));
    expect(state.trays[0]!.image).toMatch(/tray-linux\.png$/);

    expect(await hooks.trayAction(`project:${p.id}:disconnect`)).toMatchObject({ ok: true });
    expect((await services.projects.get('acme')).connected).toBe(false);
    expect(await hooks.trayAction(`project:${p.id}:audit`)).toEqual({ ok: true });
    await until(() => state.windows.length === 2);
    expect(state.windows[1]!.url).toBe(`app://switchboard/index.html#/audit?project=${p.id}`);
  });

  it('hides the main window on close until quitting, and refocuses on a second launch', () => {
    const win = state.windows[0]!;
    let prevented = false;
    win.emit('close', { preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
    expect(win.visible).toBe(false);
    for (const fn of state.appListeners.get('second-instance') ?? []) fn();
    expect(win.visible).toBe(true);
    for (const fn of state.appListeners.get('window-all-closed') ?? []) fn();
    expect(state.quit).toBe(0);
    for (const fn of state.appListeners.get('before-quit') ?? []) fn();
    prevented = false;
    win.emit('close', { preventDefault: () => (prevented = true) });
    expect(prevented).toBe(false);
  });

  it('a second instance quits at once, before touching anything', async () => {
    vi.resetModules();
    state.lock = false;
    state.order.length = 0;
    const windows = state.windows.length;
    await import('./index.js');
    expect(state.quit).toBe(1);
    expect(state.order).toEqual(['lock']);
    expect(state.windows.length).toBe(windows);
  });
});
