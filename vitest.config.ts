import { defineConfig } from 'vitest/config';

/**
 * Projects:
 * - unit: pure functions, no database.
 * - pglite / postgres: every *.db.test.ts file runs on BOTH backends, each file on a fresh
 *   database (a loaded PGlite data dir / a PostgreSQL template clone).
 * - e2e: real browser journeys against a real server process.
 */
const dbTests = ['test/**/*.db.test.ts'];

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/**/*.unit.test.ts'] } },
      {
        test: {
          name: 'pglite',
          include: dbTests,
          env: { SEN_TEST_BACKEND: 'pglite' },
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'postgres',
          include: [...dbTests, 'test/**/*.pg.test.ts'],
          env: { SEN_TEST_BACKEND: 'postgres' },
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.e2e.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
