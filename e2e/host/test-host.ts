import path from 'node:path';
import { build } from 'esbuild';
import type { Page } from '@playwright/test';
import { createDispatcher, type Dispatch } from '../../app/contract/dispatch';
import { startEventFeeds } from '../../app/ipc/event-feeds';
import { createHandlers } from '../../app/ipc/handlers';
import { createServices, type Services } from '../../app/services';
import { REPO_ROOT } from '../../app/testing/run-cli';

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

  constructor(dataDir: string) {
    this.services = createServices({ dataDir });
    this.dispatch = createDispatcher(createHandlers(this.services));
  }

  async attach(page: Page): Promise<void> {
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
  }
}
