import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './tests/support/chromium.ts';

const PORT = Number(process.env.E2E_PORT ?? 4317);
// The demo users' password on the e2e server; tests/e2e/pages/SignInPage.ts signs in with it.
export const DEMO_PASSWORD = 'e2e demo password';

// End-to-end tests run the production build on the real server, in Debian's Chromium.
export default defineConfig({
  testDir: 'tests/e2e',
  testMatch: '**/*.spec.ts',
  fullyParallel: false,
  workers: 1,
  forbidOnly: true,
  retries: 0,
  timeout: 60_000,
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    baseURL: `http://localhost:${PORT}`,
    browserName: 'chromium',
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
    serviceWorkers: 'allow',
    trace: 'retain-on-failure',
  },
  webServer: {
    command: 'node --import tsx tests/e2e/support/serve.ts',
    url: `http://localhost:${PORT}/api/health`,
    env: { PORT: String(PORT), LOG_LEVEL: 'warn', WINGCHECK_DEMO_PASSWORD: DEMO_PASSWORD },
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'pipe',
  },
});
