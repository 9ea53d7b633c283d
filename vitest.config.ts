import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './tests/support/chromium.ts';

// One runner, six suites. The server suite runs twice: once on the embedded PGlite and once on
// a throwaway real PostgreSQL cluster, so both engines stay proven by the same tests.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'server-pglite',
          include: ['tests/server/**/*.test.ts'],
          exclude: ['tests/server/postgres/**'],
          env: { WINGCHECK_TEST_ENGINE: 'pglite' },
          globalSetup: ['tests/server/support/pglite-dump.ts'],
          // Some tests start the real server twice; a first start on an empty embedded database
          // makes the demo with its six weeks of history, which on a busy 2-core machine can take
          // most of the half-minute these once had.
          testTimeout: 90_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'server-postgres',
          include: ['tests/server/**/*.test.ts'],
          exclude: ['tests/server/any-engine/**'],
          env: { WINGCHECK_TEST_ENGINE: 'postgres' },
          globalSetup: ['tests/server/support/postgres-cluster.ts'],
          testTimeout: 90_000,
          hookTimeout: 60_000,
        },
      },
      {
        // npm start on a clean copy of the working tree, as a newcomer runs it: builds inside the copy.
        test: {
          name: 'start',
          include: ['tests/start/**/*.test.ts'],
          environment: 'node',
          testTimeout: 600_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'build',
          include: ['tests/build/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        // The photo pipeline needs a real browser's decoders and canvas: Debian's Chromium, headless.
        test: {
          name: 'browser',
          include: ['tests/browser/**/*.test.ts'],
          testTimeout: 60_000,
          browser: {
            enabled: true,
            provider: playwright({ launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS } }),
            headless: true,
            instances: [{ browser: 'chromium' }],
          },
        },
      },
    ],
  },
});
