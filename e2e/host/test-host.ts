import { spawn } from 'node:child_process';
import path from 'node:path';
import { build } from 'esbuild';
import type { Page } from '@playwright/test';
import { createDispatcher, type Dispatch } from '../../app/contract/dispatch';
import { startEventFeeds } from '../../app/ipc/event-feeds';
import { createHandlers } from '../../app/ipc/handlers';
import { createServices, type Services } from '../../app/services';
import { REPO_ROOT } from '../../app/testing/run-cli';
import { isAutostartEnabled, setAutostart } from '../../app/platform/autostart';
import {
  clickTrayItem,
  runTrayAction,
  type ShellHooks,
  type TrayActionResult,
  type TrayFailure,
} from '../../app/tray/run-tray-action';
import type { TrayItem, TrayState } from '../../app/tray/tray-model';
import { ActiveSessions } from '../../app/tray/active-sessions';
import { AuthFailures } from '../../app/tray/auth-failures';
import { DisconnectedAttempts } from '../../app/tray/disconnected-attempts';
import { auditRoute, mainRoute } from '../../app/tray/main-route';
import { NotificationGate } from '../../app/notifications/notification-gate';
import { collectTrayState } from '../../app/tray/tray-state';
import { trayActionDepsFrom, traySourcesFrom } from '../../app/tray/tray-sources';
import { buildTrayTemplate } from '../../app/tray/tray-template';

const FETCH_BROWSER = path.join(REPO_ROOT, 'app', 'testing', 'fetch-browser.mjs');

let shimCode: Promise<string> | undefined;

/** The page-side shim, bundled once per worker from e2e/host/browser-shim.ts. */
export function browserShim(): Promise<string> {
  shimCode ??= build({
    entryPoints: [path.join(REPO_ROOT, 'e2e', 'host', 'browser-shim.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    target: 'chrome120',
    logLevel: 'silent',
  }).then((r) => r.outputFiles[0]!.text);
  return shimCode;
}

/**
 * The browser target's stand-in for Electron main: the real services and the same dispatch
 * table, reached from the page through a Playwright binding, with push events fed back in.
 */
export class TestHost {
  readonly services: Services;
  readonly dispatch: Dispatch;
  private stopFeeds: (() => void) | undefined;
  /** What tray actions asked of the shell (the browser target has no native windows/tray). */
  readonly shellLog: string[] = [];
  /** Failed tray actions, as main would show them in a dialog. */
  readonly failures: TrayFailure[] = [];
  /** Snoozes from the tray, as main's notification gate keeps them. */
  private readonly gate = new NotificationGate();
  private page: Page | undefined;
  /** HOME/XDG of the test, for the launch-at-login entry; never the real user's. */
  private readonly env: NodeJS.ProcessEnv;

  /** `auditWorker`: the bundled audit worker, so the index runs off this thread as in the app. */
  constructor(dataDir: string, env?: NodeJS.ProcessEnv, auditWorker?: string) {
    const home = path.dirname(dataDir);
    this.env = env ?? { HOME: home, XDG_CONFIG_HOME: path.join(home, '.config') };
    // Client configs resolve against the test's HOME too, never the real user's.
    this.services = createServices({
      dataDir,
      env: { ...process.env, ...this.env },
      ...(auditWorker && { auditWorker }),
    });
    // Launch at login as main does it on Linux: the XDG autostart entry, in the test's HOME.
    this.dispatch = createDispatcher(
      createHandlers(this.services, {
        launchAtLogin: {
          get: () => isAutostartEnabled(this.env),
          set: (on) =>
            setAutostart(on, { exec: process.execPath, args: ['--hidden'], env: this.env }),
        },
        // Main's shell.openExternal, here the tests' "browser": it follows the redirect chain to
        // the sign-in's loopback callback with fetch (app/testing/fetch-browser.mjs).
        openExternal: async (url) => {
          this.shellLog.push(`openExternal ${new URL(url).origin}${new URL(url).pathname}`);
          spawn(process.execPath, [FETCH_BROWSER, url], { stdio: 'ignore' }).unref();
        },
      }),
    );
  }

  /** The tray menu as main would build it, from the same services. */
  async trayMenu(): Promise<TrayItem[]> {
    return buildTrayTemplate(await this.trayState());
  }

  /** The state the tray menu, icon and tooltip are built from. */
  async trayState(): Promise<TrayState> {
    const sources = traySourcesFrom(this.services, {
      launchAtLogin: () => isAutostartEnabled(this.env),
      // A fresh read of the audit log each time: the host has no long-lived tray to keep current.
      sessions: new ActiveSessions(this.services.audit),
      authFailures: new AuthFailures(this.services.audit),
      disconnectedAttempts: new DisconnectedAttempts(this.services.audit),
    });
    return this.gate.annotate(await collectTrayState(sources), Date.now());
  }

  /** Clicks a tray item by id with main's runTrayAction; shell hooks act on the page. */
  async trayAction(id: string): Promise<TrayActionResult> {
    return clickTrayItem(await this.trayMenu(), id, this.trayDeps());
  }

  /** Runs a tray action descriptor (a failure dialog's "Open details"). */
  runTrayAction(action: unknown): Promise<TrayActionResult> {
    return runTrayAction(action, this.trayDeps());
  }

  private trayDeps() {
    const shell: ShellHooks = {
      // The main window on a project, its tokens or an install preview: the same route main uses.
      openMainWindow: async (target) => {
        this.shellLog.push(
          target ? `open-main:${target.projectId}:${target.view ?? ''}` : 'open-main',
        );
        const route = mainRoute(target);
        await this.page?.evaluate((h) => (window.location.hash = h), route ? `#${route}` : '');
        await this.page?.bringToFront();
      },
      showFailure: (failure) => {
        this.failures.push(failure);
        this.shellLog.push(`failure:${failure.title}: ${failure.message}`);
      },
      // One page stands in for both windows: the audit window is the same renderer at #/audit.
      openAuditWindow: async (target) => {
        this.shellLog.push(`open-audit:${target.projectId ?? '*'}`);
        await this.page?.evaluate((h) => (window.location.hash = h), `#${auditRoute(target)}`);
      },
      setLaunchAtLogin: (enabled) =>
        setAutostart(enabled, { exec: process.execPath, args: ['--hidden'], env: this.env }),
      notify: ({ title, body }) => void this.shellLog.push(`notify:${title}: ${body}`),
      quit: () => void this.shellLog.push('quit'),
    };
    return trayActionDepsFrom(this.services, shell, {
      snooze: (keys) => this.gate.snooze(keys, Date.now()),
    });
  }

  async attach(page: Page): Promise<void> {
    this.page = page;
    await page.exposeBinding('__switchboardInvoke', (_source, channel: unknown, input: unknown) =>
      this.dispatch(channel, input),
    );
    await page.addInitScript({ content: await browserShim() });
    this.stopFeeds = startEventFeeds(this.services, (event, payload) => {
      page
        .evaluate(([e, p]) => window.__switchboardEmit(e, p), [event, payload] as const)
        .catch(() => undefined);
    });
  }

  close(): void {
    this.stopFeeds?.();
    this.services.audit.close();
  }
}
