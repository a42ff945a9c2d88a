import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeTempHome, type TempHome } from '../../app/testing/temp-home.js';

// Electron cannot run here (no binary). The mock records every handler main installs, so the
// tests drive those handlers exactly as Electron would.
type Listener = (...args: unknown[]) => unknown;
const appListeners = new Map<string, Listener>();
const sessionHandlers: Record<string, Listener> = {};
const sessionListeners = new Map<string, Listener>();
const opened: string[] = [];
const schemes: unknown[] = [];
let protocolHandler: ((req: Request) => Promise<Response>) | undefined;

vi.mock('electron', () => ({
  app: { on: (event: string, fn: Listener) => appListeners.set(event, fn) },
  shell: { openExternal: async (url: string) => void opened.push(url) },
  session: {
    defaultSession: {
      setPermissionRequestHandler: (fn: Listener) => (sessionHandlers.request = fn),
      setPermissionCheckHandler: (fn: Listener) => (sessionHandlers.check = fn),
      setDevicePermissionHandler: (fn: Listener) => (sessionHandlers.device = fn),
      setDisplayMediaRequestHandler: (fn: Listener) => (sessionHandlers.display = fn),
      on: (event: string, fn: Listener) => sessionListeners.set(event, fn),
    },
  },
  protocol: {
    registerSchemesAsPrivileged: (s: unknown[]) => schemes.push(...s),
    handle: (_scheme: string, fn: (req: Request) => Promise<Response>) => (protocolHandler = fn),
  },
}));

const { guardWebContents, installGlobalGuards, isSafeExternalUrl, openExternalSafely } =
  await import('./guards.js');
const { registerAppScheme, serveRenderer } = await import('./app-protocol.js');
const { CONTENT_SECURITY_POLICY } = await import('./content-security-policy.js');
const { secureWebPreferences } = await import('../windows/web-preferences.js');

/** A stand-in WebContents that keeps its listeners and window-open handler. */
function fakeContents() {
  const listeners = new Map<string, Listener>();
  let openHandler: Listener | undefined;
  return {
    on: (event: string, fn: Listener) => listeners.set(event, fn),
    setWindowOpenHandler: (fn: Listener) => (openHandler = fn),
    /** Fires an event the way Electron does and says whether the app called preventDefault. */
    fire(event: string, ...args: unknown[]): boolean {
      let prevented = false;
      const e = { preventDefault: () => (prevented = true), url: args[0] };
      listeners.get(event)!(e, ...args);
      return prevented;
    },
    open: (url: string) => openHandler!({ url }),
  };
}

beforeEach(() => {
  opened.length = 0;
});

describe('webPreferences factory', () => {
  it('isolates and sandboxes every window, with no Node in the page', () => {
    expect(secureWebPreferences('/p/preload.cjs')).toEqual({
      preload: '/p/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      webviewTag: false,
    });
  });

  it('is the only place windows get webPreferences', async () => {
    const dir = path.join(import.meta.dirname, '..');
    const offenders: string[] = [];
    const walk = async (d: string): Promise<void> => {
      for (const entry of await fs.readdir(d, { withFileTypes: true })) {
        const p = path.join(d, entry.name);
        if (entry.isDirectory()) await walk(p);
        else if (/\.ts$/.test(entry.name) && !entry.name.endsWith('.test.ts')) {
          const text = await fs.readFile(p, 'utf8');
          if (/webPreferences:\s*\{/.test(text) || /nodeIntegration:\s*true/.test(text)) {
            offenders.push(p);
          }
        }
      }
    };
    await walk(dir);
    expect(offenders).toEqual([]);
  });
});

describe('navigation and window.open guards', () => {
  it('deny navigation and redirects away from our origin, and every webview', () => {
    const wc = fakeContents();
    guardWebContents(wc as never);
    expect(wc.fire('will-navigate', 'app://switchboard/index.html#/audit')).toBe(false);
    for (const url of [
      'https://evil.example/',
      'app://switchboard.evil.com/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'http://localhost:5173/',
    ]) {
      expect(wc.fire('will-navigate', url), url).toBe(true);
      expect(wc.fire('will-redirect', url), url).toBe(true);
      expect(wc.fire('will-frame-navigate', url), url).toBe(true);
    }
    expect(wc.fire('will-attach-webview')).toBe(true);
  });

  it('allows the dev server only when one is configured', () => {
    const wc = fakeContents();
    guardWebContents(wc as never, 'http://localhost:5173');
    expect(wc.fire('will-navigate', 'http://localhost:5173/')).toBe(false);
    expect(wc.fire('will-navigate', 'http://localhost:5174/')).toBe(true);
  });

  it('never opens a window; https links go to the system browser, nothing else does', () => {
    const wc = fakeContents();
    guardWebContents(wc as never);
    for (const url of [
      'https://docs.example.com/mcp',
      'http://docs.example.com/',
      'javascript:alert(1)',
      'file:///etc/passwd',
      'https://user:pw@example.com/',
      'app://switchboard/index.html',
      'not a url',
    ]) {
      expect(wc.open(url)).toEqual({ action: 'deny' });
    }
    expect(opened).toEqual(['https://docs.example.com/mcp']);
  });

  it('openExternalSafely accepts only validated https URLs', () => {
    expect(isSafeExternalUrl('https://example.com/a?b=c')).toBe(true);
    for (const bad of [
      'http://example.com',
      'https://',
      'https://user@example.com/',
      'smb://host/share',
      'data:,x',
    ]) {
      expect(openExternalSafely(bad), bad).toBe(false);
    }
    expect(openExternalSafely(42 as unknown as string)).toBe(false);
    expect(openExternalSafely('https://example.com/ok')).toBe(true);
    expect(opened).toEqual(['https://example.com/ok']);
  });
});

describe('global guards', () => {
  it('guard every new webContents and deny every permission, device and capture request', () => {
    installGlobalGuards();
    const wc = fakeContents();
    appListeners.get('web-contents-created')!({}, wc);
    expect(wc.fire('will-navigate', 'https://evil.example/')).toBe(true);

    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'clipboard-read',
      'openExternal',
    ]) {
      const cb = vi.fn();
      sessionHandlers.request!({}, permission, cb);
      expect(cb).toHaveBeenCalledWith(false);
      expect(sessionHandlers.check!({}, permission)).toBe(false);
    }
    expect(sessionHandlers.device!({ deviceType: 'usb' })).toBe(false);
    const display = vi.fn();
    sessionHandlers.display!({}, display);
    expect(display).toHaveBeenCalledWith(null);
    let prevented = false;
    sessionListeners.get('will-download')!({ preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
  });
});

describe('app:// protocol', () => {
  let tmp: TempHome;
  let root: string;
  beforeAll(async () => {
    tmp = await makeTempHome();
    root = path.join(tmp.home, 'renderer');
    await fs.mkdir(path.join(root, 'assets'), { recursive: true });
    await fs.writeFile(path.join(root, 'index.html'), '<!doctype html><p>hi</p>');
    await fs.writeFile(path.join(root, 'assets', 'a.js'), 'console.log(1)');
    await fs.writeFile(path.join(tmp.home, 'secret.txt'), 'outside the root');
    registerAppScheme();
    serveRenderer(root);
  });
  afterAll(() => tmp.cleanup());

  it('is registered as a privileged, secure standard scheme', () => {
    expect(schemes).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
  });

  it('serves our files with the CSP as a response header', async () => {
    const res = await protocolHandler!(new Request('app://switchboard/index.html'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await res.text()).toContain('<p>hi</p>');
    const js = await protocolHandler!(new Request('app://switchboard/assets/a.js'));
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('the CSP allows only our own scripts and no framing, plugins or remote connections', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("connect-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-(inline|eval)/);
  });

  it('answers 404 for other hosts, missing files and escapes from the root', async () => {
    for (const url of [
      'app://other/index.html',
      'app://switchboard/missing.html',
      'app://switchboard/../secret.txt',
      'app://switchboard/%2e%2e/secret.txt',
      'app://switchboard/assets/%2e%2e/%2e%2e/secret.txt',
    ]) {
      const res = await protocolHandler!(new Request(url));
      expect(res.status, url).toBe(404);
      expect(await res.text()).not.toContain('outside the root');
    }
  });
});
