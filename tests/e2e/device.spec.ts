import { expect, test } from './fixtures/test.ts';
import { AppShell } from './pages/AppShell.ts';
import { DevicePage } from './pages/DevicePage.ts';
import { SignInPage } from './pages/SignInPage.ts';

const USAGE = /^[\d.]+ (bytes?|KB|MB|GB) used of [\d.]+ (KB|MB|GB|TB) \((\d+%|less than 1%)\)$/;
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('the Device page shows storage persistence, usage, and a device id that survives reloads', async ({ page }) => {
  const shell = new AppShell(page);
  const device = new DevicePage(page);
  await new SignInPage(page).signInAs('so.demo');
  await shell.navigateTo('Device');
  await expect(shell.heading).toHaveText('This device');
  await expect(page).toHaveTitle('This device – Wingcheck');

  await expect(device.clientId).toHaveText(UUID_V7);
  const clientId = await device.clientId.textContent();
  await expect(device.persistence).toHaveText(/^(Persistent|Not persistent)/);
  await expect(device.usage).toHaveText(USAGE);
  await expect(device.offlineReadiness).toHaveText(/^Ready/);

  await page.reload();
  await expect(device.clientId).toHaveText(clientId ?? 'missing');

  // The id lives in IndexedDB, made once: a second tab of the same origin agrees.
  const other = await page.context().newPage();
  await other.goto('/device');
  await expect(new DevicePage(other).clientId).toHaveText(clientId ?? 'missing');
});

test('an unknown address shows a page-not-found screen inside the app', async ({ page }) => {
  const shell = new AppShell(page);
  await new SignInPage(page).signInAs('so.demo');
  await shell.goto('/no-such-screen');
  await expect(shell.heading).toHaveText('Page not found');
});
