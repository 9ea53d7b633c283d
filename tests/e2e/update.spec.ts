import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from './fixtures/test.ts';
import { AppShell } from './pages/AppShell.ts';
import { SignInPage } from './pages/SignInPage.ts';

const SW_FILE = fileURLToPath(new URL('../../dist/sw.js', import.meta.url));

test.describe('a new version of the app', () => {
  let original: string;
  test.beforeEach(() => {
    original = readFileSync(SW_FILE, 'utf8');
  });
  test.afterEach(() => {
    writeFileSync(SW_FILE, original);
  });

  test('waits for the person to choose "Update now", then takes over', async ({ page }) => {
    const shell = new AppShell(page);
    await new SignInPage(page).signInAs('so.demo');
    await shell.goto('/device');
    await shell.waitForOfflineReady();
    const firstWorker = await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL);
    expect(firstWorker).toMatch(/\/sw\.js$/);

    // A release: the server now serves a service worker that differs by a byte.
    writeFileSync(SW_FILE, `${original}\n// next release\n`);
    await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.getRegistration();
      await registration?.update();
    });

    const banner = page.getByRole('region', { name: 'Update available' });
    await expect(banner).toBeVisible({ timeout: 15_000 });
    // Nothing reloads by itself: the page is the same page until the person says so.
    await page.evaluate(() => {
      (window as unknown as { marker: string }).marker = 'still here';
    });
    await page.waitForTimeout(1000);
    expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe('still here');
    await expect(shell.heading).toHaveText('This device');

    await Promise.all([page.waitForEvent('framenavigated'), banner.getByRole('button', { name: 'Update now' }).click()]);
    await expect(shell.heading).toHaveText('This device');
    await expect(banner).toBeHidden();
    expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBeUndefined();
    const waiting = await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting ?? null);
    expect(waiting).toBeNull();
  });
});
