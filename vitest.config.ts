import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'app/**/*.test.ts',
      'main/**/*.test.ts',
      'preload/**/*.test.ts',
      'renderer/**/*.test.{ts,tsx}',
    ],
    globalSetup: ['app/testing/vitest-global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Each test file gets its own HOME / SWITCHBOARD_HOME (see app/testing/temp-home.ts).
    environment: 'node',
  },
});
