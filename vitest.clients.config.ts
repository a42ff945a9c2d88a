import { defineConfig } from 'vitest/config';

// The real-client suite (`npm run test:clients`, scripts/test-real-clients.sh): slower, needs the
// client CLIs from npm and a network namespace, so it is not part of `npm run test:unit`.
export default defineConfig({
  test: {
    include: ['app/**/*.realclient.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: 'forks',
    fileParallelism: false,
    environment: 'node',
  },
});
