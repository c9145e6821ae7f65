import { defineConfig } from 'vitest/config';

/** Browser end-to-end tests in Debian Chromium (playwright-core), `npm run test:e2e`. */
export default defineConfig({
  test: {
    name: 'e2e',
    include: ['**/*.e2e.test.ts'],
    exclude: ['**/node_modules/**'],
    globalSetup: ['apps/db/src/testing/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
