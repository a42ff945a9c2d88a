import type { Page } from '@playwright/test';
import type { CliResult } from '../../app/testing/run-cli';
import type { TrayActionResult } from '../../app/tray/run-tray-action';
import type { TrayItem } from '../../app/tray/tray-model';

export type E2ETarget = 'browser' | 'electron';

/** What a spec may use, whichever target runs it. */
export interface AppDriver {
  readonly target: E2ETarget;
  readonly page: Page;
  /** The test's own HOME and SWITCHBOARD_HOME. */
  readonly home: string;
  readonly dataDir: string;
  readonly env: NodeJS.ProcessEnv;
  /** Runs bin/switchboard against this test's data dir. */
  cli(args: string[], opts?: { stdin?: string }): Promise<CliResult>;
  /** Saves e2e/artifacts/<target>/<name>.png. */
  screenshot(name: string): Promise<string>;
  /** The tray menu as the app builds it right now (plain data; see app/tray/tray-model.ts). */
  trayMenu(): Promise<TrayItem[]>;
  /** Clicks a tray item by id (e.g. `project:<id>:disconnect`) through the app's runTrayAction. */
  trayAction(id: string): Promise<TrayActionResult>;
  /**
   * Browser target only: a page showing the live tray as HTML (same template, icon and
   * tooltip), its items clickable through trayAction. Call again to redraw.
   */
  showTray?(): Promise<Page>;
  /** Browser target only: what tray actions asked of the shell (failure dialogs, windows). */
  shellLog?: readonly string[];
}
