import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` (domain, modules, CLI, against the embedded database and the server one when
 * TEST_DATABASE_URL is set) and `e2e` (the app as `npm start` serves it, driven in Debian's Chromium).
 * The e2e project starts one app for all its files (e2e/global-setup.ts) and runs them one at a time.
 */
export default defineConfig({
  test: {
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['e2e/**/*.test.ts'],
          globalSetup: ['e2e/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 180_000,
        },
      },
    ],
  },
});
