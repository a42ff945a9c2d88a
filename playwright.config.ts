import { defineConfig } from '@playwright/test';

// Both targets run the same specs. `electron` skips itself (saying why) when no binary exists.
export default defineConfig<{ target: 'browser' | 'electron' }>({
  testDir: 'e2e/specs',
  outputDir: 'test-results',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 2,
  retries: 0,
  reporter: process.env.CI ? [['list']] : [['list']],
  use: { trace: 'retain-on-failure' },
  projects: [
    { name: 'browser', use: { target: 'browser' } },
    { name: 'electron', use: { target: 'electron' } },
  ],
});
