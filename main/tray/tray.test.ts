import path from 'node:path';
import fs from 'node:fs';
import type { MenuItemConstructorOptions } from 'electron';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createServices, type Services } from '../../app/services.js';
import { makeTempHome, type TempHome } from '../../app/testing/temp-home.js';
import { REPO_ROOT } from '../../app/testing/run-cli.js';
import type { GateMemory } from '../../app/notifications/notification-gate.js';
import type { ShellHooks } from '../../app/tray/run-tray-action.js';
import { trayActionDepsFrom, traySourcesFrom } from '../../app/tray/tray-sources.js';

// Electron cannot run here (no binary): Tray, Menu and nativeImage are replaced by recorders
// that keep what main hands them, so the mapping and the rebuild logic are tested for real.
const trays: FakeTray[] = [];
class FakeTray {
  image = '';
  toolTip = '';
  menu: MenuItemConstructorOptions[] = [];
  menuBuilds = 0;
  destroyed = false;
  constructor(image: { path: string }) {
    this.image = image.path;
    trays.push(this);
  }
  setImage(image: { path: string }) {
    this.image = image.path;
  }
  setToolTip(text: string) {
    this.toolTip = text;
  }
  setContextMenu(menu: MenuItemConstructorOptions[]) {
    this.menu = menu;
    this.menuBuilds++;
  }
  destroy() {
    this.destroyed = true;
  }
}
vi.mock('electron', () => ({
  Tray: FakeTray,
  Menu: { buildFromTemplate: (t: MenuItemConstructorOptions[]) => t },
  nativeImage: { createFromPath: (p: string) => ({ path: p }) },
}));

const { TrayController } = await import('./tray-controller.js');
const { toMenuTemplate } = await import('./to-electron-menu.js');
const { checkoutRoot, trayIconFile, trayResourcesDir } = await import('./tray-icons.js');

function find(menu: MenuItemConstructorOptions[], id: string): MenuItemConstructorOptions {
  for (const item of menu) {
    if (item.id === id) return item;
    if (Array.isArray(item.submenu)) {
      try {
        return find(item.submenu, id);
      } catch {
        // keep looking
      }
    }
  }
  throw new Error(`no menu item ${id}`);
}

async function until(check: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('toMenuTemplate', () => {
  it('maps items, checkboxes, submenus and separators, and clicks hand back the action', () => {
    const clicked: unknown[] = [];
    const menu = toMenuTemplate(
      [
        { kind: 'item', id: 'h', label: 'Header', enabled: false },
        { kind: 'separator', id: 's' },
        {
          kind: 'submenu',
          id: 'p',
          label: 'Project',
          enabled: true,
          items: [
            {
              kind: 'item',
              id: 'c',
              label: 'Cursor',
              enabled: true,
              checked: true,
              action: { type: 'open-main', target: { projectId: 'prj_a', view: 'install' } },
            },
          ],
        },
        { kind: 'item', id: 'q', label: 'Quit', enabled: true, action: { type: 'quit' } },
      ],
      (a) => clicked.push(a),
    );
    expect(menu[0]).toEqual({ id: 'h', label: 'Header', enabled: false });
    expect(menu[1]).toEqual({ id: 's', type: 'separator' });
    const cursor = find(menu, 'c');
    expect(cursor).toMatchObject({ type: 'checkbox', checked: true, enabled: true });
    (cursor.click as () => void)();
    (find(menu, 'q').click as () => void)();
    expect(clicked).toEqual([
      { type: 'open-main', target: { projectId: 'prj_a', view: 'install' } },
      { type: 'quit' },
    ]);
    expect(menu[0]!.click).toBeUndefined();
  });
});

describe('tray icons', () => {
  it('picks template images on macOS, .ico on Windows, PNG on Linux — and they all exist', () => {
    const dir = trayResourcesDir({ isPackaged: false, resourcesPath: '/r', appRoot: REPO_ROOT });
    expect(dir).toBe(path.join(REPO_ROOT, 'build', 'tray'));
    expect(trayResourcesDir({ isPackaged: true, resourcesPath: '/r', appRoot: '/x' })).toBe(
      path.join('/r', 'tray'),
    );
    // From the bundle (out/main) and from source (main/) alike.
    expect(checkoutRoot(path.join(REPO_ROOT, 'out', 'main'))).toBe(REPO_ROOT);
    expect(checkoutRoot(path.join(REPO_ROOT, 'main'))).toBe(REPO_ROOT);
    expect(trayIconFile('darwin', 'connected', dir)).toBe(path.join(dir, 'trayTemplate.png'));
    expect(trayIconFile('win32', 'attention', dir)).toBe(path.join(dir, 'tray-attention.ico'));
    expect(trayIconFile('linux', 'disconnected', dir)).toBe(
      path.join(dir, 'tray-linux-disconnected.png'),
    );
    for (const platform of ['darwin', 'win32', 'linux'] as const) {
      for (const status of ['connected', 'attention', 'disconnected'] as const) {
        const file = trayIconFile(platform, status, dir);
        expect(fs.existsSync(file), file).toBe(true);
        if (platform === 'darwin')
          expect(fs.existsSync(file.replace('.png', '@2x.png'))).toBe(true);
      }
    }
  });
});

describe('TrayController', () => {
  let tmp: TempHome;
  let services: Services;
  let controller: InstanceType<typeof TrayController> | undefined;
  const calls: string[] = [];
  const remembered: GateMemory[] = [];
  const notices: { title: string; body: string }[] = [];
  const shell: ShellHooks = {
    openMainWindow: () => void calls.push('main'),
    showFailure: (f) => void calls.push(`failure:${f.title}`),
    openAuditWindow: ({ projectId }) => void calls.push(`audit:${projectId ?? '*'}`),
    setLaunchAtLogin: () => undefined,
    notify: (n) => void notices.push(n),
    quit: () => void calls.push('quit'),
  };

  beforeEach(async () => {
    tmp = await makeTempHome();
    services = createServices({ dataDir: tmp.dataDir, env: tmp.env });
    trays.length = 0;
    calls.length = 0;
    notices.length = 0;
  });
  afterEach(async () => {
    controller?.dispose();
    await tmp.cleanup();
  });

  function start(sources = traySourcesFrom(services)) {
    controller = new TrayController({
      sources,
      deps: trayActionDepsFrom(services, shell),
      platform: 'linux',
      trayDir: '/icons',
      watch: (cb) => services.projects.watch(cb),
      notify: (n) => notices.push(n),
      remember: (m) => remembered.push(m),
      pollMs: 60_000,
    });
    return controller.start();
  }

  it('builds the menu and icon from state and rebuilds when projects change on disk', async () => {
    await start();
    const tray = trays[0]!;
    expect(tray.image).toBe('/icons/tray-linux-disconnected.png');
    expect(tray.toolTip).toBe('Switchboard — no projects yet');
    expect(find(tray.menu, 'no-projects').label).toContain('No projects yet');

    // Another process (the CLI) adds a project: the file watcher triggers the rebuild.
    const other = createServices({ dataDir: tmp.dataDir, env: tmp.env });
    const p = await other.projects.add({ name: 'acme', url: 'https://a.test/mcp' });
    await until(() => tray.image === '/icons/tray-linux.png');
    expect(find(tray.menu, `project:${p.id}`).label).toBe('● acme — Connected');
    expect(tray.toolTip).toBe('Switchboard — 1 project, 0 clients active');

    // Clicking the native item runs the action and the menu follows.
    (find(tray.menu, `project:${p.id}:disconnect`).click as () => void)();
    await until(() => tray.image === '/icons/tray-linux-disconnected.png');
    expect((await services.projects.get('acme')).connected).toBe(false);
    expect(find(tray.menu, `project:${p.id}:connect`).enabled).toBe(true);
  });

  it('does not rebuild an unchanged menu, and clicks by id like the e2e hooks do', async () => {
    const p = await services.projects.add({ name: 'acme', url: 'https://a.test/mcp' });
    await start();
    const tray = trays[0]!;
    const builds = tray.menuBuilds;
    await controller!.refresh();
    await controller!.refresh();
    expect(tray.menuBuilds).toBe(builds);

    expect(await controller!.click(`project:${p.id}:audit`)).toEqual({ ok: true });
    expect(await controller!.click('open')).toEqual({ ok: true });
    expect(await controller!.click('quit')).toEqual({ ok: true });
    expect(calls).toEqual([`audit:${p.id}`, 'main', 'quit']);
    expect(await controller!.click('header')).toMatchObject({ ok: false });
    expect(await controller!.click(`project:${p.id}:disconnect`)).toMatchObject({ ok: true });
    expect(controller!.menu().some((i) => i.id === `project:${p.id}`)).toBe(true);
    expect(tray.menuBuilds).toBe(builds + 1);
  });

  it('notifies once when a token starts expiring', async () => {
    const p = await services.projects.add({
      name: 'acme',
      url: 'https://a.test/mcp',
      auth: 'bearer',
    });
    let status: 'active' | 'expiring-soon' = 'active';
    await start({
      projects: services.projects,
      tokens: async () => [{ projectId: p.id, name: 'ci', status }],
    });
    expect(notices).toEqual([]);
    status = 'expiring-soon';
    await controller!.refresh();
    await controller!.refresh();
    expect(notices).toEqual([
      {
        key: `${p.id}:token`,
        title: 'Token needs rotating',
        body: 'Token "ci" of acme expires soon — rotate it in Switchboard. (Rotate token from the Switchboard tray.)',
        target: { type: 'open-main', target: { projectId: p.id, view: 'tokens' } },
      },
    ]);
    expect(trays[0]!.image).toBe('/icons/tray-linux-attention.png');
    expect(trays[0]!.toolTip).toBe('Switchboard — 1 project, 0 clients active, 1 needs attention');

    // Snoozed from the notification: the gate remembers it, the row stays in the menu.
    await controller!.snooze([`${p.id}:token`]);
    expect(remembered.at(-1)?.snoozedUntil[`${p.id}:token`]).toBeGreaterThan(Date.now());
    expect(find(trays[0]!.menu, `attention:${p.id}:token`).label).toBe(
      '⚠ Rotate token — acme: token expiring soon',
    );
    expect(find(trays[0]!.menu, 'attention:snoozed').label).toBe(
      'Notifications for these are snoozed for a day',
    );
  });

  it('shows a failed click in a dialog instead of failing silently', async () => {
    const p = await services.projects.add({ name: 'acme', url: 'https://a.test/mcp' });
    await start();
    await services.projects.remove('acme');
    // The menu still has the removed project until the watcher fires: click it now.
    (find(trays[0]!.menu, `project:${p.id}:disconnect`).click as () => void)();
    await until(() => calls.includes('failure:Could not disconnect the project'));
  });

  it('disposes the tray and stops watching', async () => {
    await start();
    controller!.dispose();
    expect(trays[0]!.destroyed).toBe(true);
    controller = undefined;
  });
});
