import { defineConfig } from 'vitest/config';

/**
 * One test run for the whole repository. Two projects:
 *  - `tools`: generators, policy engine, release tooling, repo checks (no database);
 *  - `apps`: the product; one embedded PostgreSQL is started by the global setup and every
 *    test file clones its own database from a migrated template (apps/db/src/testing).
 * End-to-end browser tests (`*.e2e.test.ts`) run separately: `npm run test:e2e`.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'tools',
          include: ['**/*.test.ts'],
          exclude: ['**/node_modules/**', 'apps/**', '**/*.e2e.test.ts', 'gitops/**'],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'apps',
          include: ['apps/**/*.test.ts', 'apps/**/*.test.tsx'],
          exclude: ['**/node_modules/**', '**/*.e2e.test.ts'],
          globalSetup: ['apps/db/src/testing/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
    coverage: {
      provider: 'v8',
      reporter: ['text-summary', 'json-summary', 'html'],
      include: [
        'apps/*/src/**',
        'generators/src/**',
        'policies/engine/src/**',
        'release/src/**',
        'rehearsal/src/**',
      ],
      exclude: ['**/*.test.ts', '**/*.e2e.test.ts', '**/imports/**', '**/testing/**', '**/cli/**'],
      thresholds: { lines: 85, functions: 80, statements: 85, branches: 72 },
    },
  },
});
