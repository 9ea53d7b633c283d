import { expect, test } from './fixtures/test.ts';
import { AppShell } from './pages/AppShell.ts';
import { SignInPage } from './pages/SignInPage.ts';

test.describe('the installed app works offline', () => {
  test('after the service worker installs, a reload with no network still shows the app', async ({ page, context }) => {
    const shell = new AppShell(page);
    await new SignInPage(page).signInAs('dg.demo');
    await expect(shell.heading).toHaveText('Today');
    await expect(shell.connectionState).toHaveText('Online');
    await expect(shell.waitingCount).toHaveText('0 waiting to sync');
    await shell.waitForOfflineReady();

    await context.setOffline(true);
    await expect(shell.connectionState).toHaveText('Offline');
    await page.reload();
    await expect(shell.heading).toHaveText('Today');
    await expect(shell.connectionState).toHaveText('Offline');
    await expect(shell.waitingCount).toHaveText('0 waiting to sync');

    // A deep link, typed or bookmarked, opens offline too: the worker serves the shell.
    await page.goto('/device');
    await expect(shell.heading).toHaveText('This device');

    // Lazily loaded screens were precached, and client-side navigation works offline.
    await shell.navigateTo('Today');
    await expect(shell.heading).toHaveText('Today');
  });

  test('/api is never answered from a cache: offline, the health check fails', async ({ page, context }) => {
    const shell = new AppShell(page);
    await new SignInPage(page).signInAs('so.demo');
    await shell.waitForOfflineReady();
    const online = await page.evaluate(async () => (await fetch('/api/health')).json() as Promise<{ status: string }>);
    expect(online.status).toBe('ok');

    await context.setOffline(true);
    const offline = await page.evaluate(() =>
      fetch('/api/health').then(
        (res) => `answered ${res.status}`,
        () => 'failed',
      ),
    );
    expect(offline).toBe('failed');

    // An /api navigation is not given the app shell either.
    const response = await page.goto('/api/health').catch(() => null);
    expect(response).toBeNull();
  });
});
