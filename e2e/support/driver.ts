import type { Page } from '@playwright/test';
import type { CliResult } from '../../app/testing/run-cli';

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
}
