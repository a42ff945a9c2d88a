import path from 'node:path';
import { test as base, chromium, _electron, expect, type Page } from '@playwright/test';
import { auditWorkerScript } from '../app/testing/audit-worker-script';
import { makeTempHome } from '../app/testing/temp-home';
import { REPO_ROOT, runCliProcess } from '../app/testing/run-cli';
import { TestHost } from './host/test-host';
import { serveStatic } from './host/static-server';
import { trayHtml } from './host/tray-html';
import { saveScreenshot } from './support/artifacts';
import type { AppDriver, E2ETarget } from './support/driver';
import { findElectronBinary } from './support/electron-binary';
import type {} from '../main/e2e/e2e-hooks';

type TrayDriver = Pick<AppDriver, 'trayMenu' | 'trayAction' | 'showTray' | 'shellLog'>;

export const CHROMIUM_PATH = process.env.SWITCHBOARD_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

interface Options {
  target: E2ETarget;
}

/**
 * One set of specs, two targets: `browser` runs the built renderer in Debian's Chromium wired to
 * the real services through TestHost; `electron` launches the real app where a binary exists.
 */
export const test = base.extend<Options & { app: AppDriver }>({
  target: ['browser', { option: true }],
  app: async ({ target }, use, testInfo) => {
    const tmp = await makeTempHome('sb-e2e-');
    const cli = (args: string[], opts?: { stdin?: string }) =>
      runCliProcess(args, { env: tmp.env, stdin: opts?.stdin });
    const slug = testInfo.titlePath
      .slice(1)
      .join(' ')
      .replace(/[^a-z0-9]+/gi, '-')
      .toLowerCase();
    try {
      if (target === 'electron') {
        const electron = findElectronBinary();
        test.skip(!electron.path, electron.why);
        const app = await _electron.launch({
          executablePath: electron.path!,
          args: [path.join(REPO_ROOT, 'out', 'main', 'index.js')],
          env: { ...tmp.env, SWITCHBOARD_E2E: '1' } as Record<string, string>,
        });
        try {
          const page = await app.firstWindow();
          // Native menus can't be clicked by Playwright: main registers globalThis.__e2e for this.
          const tray: TrayDriver = {
            trayMenu: () => app.evaluate(() => globalThis.__e2e!.trayMenu()),
            trayAction: (id) =>
              app.evaluate((_e, itemId) => globalThis.__e2e!.trayAction(itemId), id),
          };
          await use(driver(target, page, tmp, cli, slug, tray));
        } finally {
          await app.close();
        }
        return;
      }
      const server = await serveStatic(path.join(REPO_ROOT, 'out', 'renderer'));
      const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
      const host = new TestHost(tmp.dataDir, tmp.env, await auditWorkerScript());
      try {
        const context = await browser.newContext({ viewport: { width: 960, height: 640 } });
        const page = await context.newPage();
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        await host.attach(page);
        await page.goto(server.url);
        let trayPage: Page | undefined;
        const tray: TrayDriver = {
          trayMenu: () => host.trayMenu(),
          trayAction: (id) => host.trayAction(id),
          showTray: async () => {
            if (!trayPage) {
              trayPage = await context.newPage();
              // A click answers with the failure dialog to show, as main's native one would.
              await trayPage.exposeBinding('__trayClick', async (_s, id: string) => {
                const before = host.failures.length;
                const result = await host.trayAction(id);
                return { result, failure: host.failures[before] };
              });
              await trayPage.exposeBinding('__trayRun', (_s, action: unknown) =>
                host.runTrayAction(action),
              );
            }
            await trayPage.setContent(trayHtml(await host.trayState()));
            return trayPage;
          },
          shellLog: host.shellLog,
        };
        await use(driver(target, page, tmp, cli, slug, tray));
        expect(errors, 'uncaught errors in the page').toEqual([]);
      } finally {
        host.close();
        await browser.close();
        await server.close();
      }
    } finally {
      await tmp.cleanup();
    }
  },
});

function driver(
  target: E2ETarget,
  page: AppDriver['page'],
  tmp: { home: string; dataDir: string; env: NodeJS.ProcessEnv },
  cli: AppDriver['cli'],
  slug: string,
  tray: TrayDriver,
): AppDriver {
  return {
    ...tray,
    target,
    page,
    home: tmp.home,
    dataDir: tmp.dataDir,
    env: tmp.env,
    cli,
    screenshot: (name) => saveScreenshot(page, target, `${slug}--${name}`),
  };
}

export { expect };
