import type { Page } from '@playwright/test';
import { DEMO_PASSWORD } from '../../playwright.config.ts';
import { CSRF_HEADER } from '../../src/shared/auth.ts';
import { expect, test } from './fixtures/test.ts';
import { AppShell } from './pages/AppShell.ts';
import { submitWeeklyCleaning, TodayPage } from './pages/CapturePages.ts';
import { SignInPage } from './pages/SignInPage.ts';

/** One item in the outbox: a quick check, submitted. */
async function queueWork(page: Page): Promise<void> {
  await submitWeeklyCleaning(page, 'A Wing');
}

test.describe('signing in and out on a shared tablet', () => {
  test('a wrong password gets a clear message and no session', async ({ page }) => {
    const signIn = new SignInPage(page);
    await page.goto('/');
    await signIn.username.fill('dg.demo');
    await signIn.password.fill('not the password');
    await signIn.submit.click();
    await expect(signIn.errorSummary).toContainText('The username or password is wrong.');
    await expect(page.getByTestId('signed-in-as')).toHaveCount(0);
  });

  test('a signed-in person keeps their screens offline, and cannot sign out while work waits', async ({ page, context }) => {
    const shell = new AppShell(page);
    await new SignInPage(page).signInAs('dg.demo');
    await expect(page.getByTestId('signed-in-as')).toHaveText('Dana Governor (demo), HMP Demo');
    await new TodayPage(page).waitForReference();
    await shell.waitForOfflineReady();

    await context.setOffline(true);
    await page.reload();
    await expect(shell.heading).toHaveText('Today');
    await expect(page.getByTestId('signed-in-as')).toHaveText('Dana Governor (demo), HMP Demo');
    await expect(shell.navigation.getByRole('link', { name: 'Actions' })).toBeVisible();
    // A duty governor has no admin screens.
    await expect(shell.navigation.getByRole('link', { name: 'Admin' })).toHaveCount(0);

    await queueWork(page);
    await expect(shell.waitingCount).toHaveText('1 waiting to sync');
    await page.getByRole('link', { name: 'Sign out' }).click();
    await expect(page.getByTestId('sign-out-refused')).toContainText('1 item is waiting to sync');
    await expect(page.getByRole('button', { name: /Sign out/ })).toHaveCount(0);
    await page.reload();
    await expect(page.getByTestId('signed-in-as')).toBeVisible();
  });

  test('signing out with nothing waiting wipes the person from the device', async ({ page }) => {
    await new SignInPage(page).signInAs('so.demo');
    await page.getByRole('link', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign out and clear this device' }).click();
    await expect(page.getByRole('heading', { name: 'Sign in to Wingcheck' })).toBeVisible();
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Sign in to Wingcheck' })).toBeVisible();
    // Nothing of theirs is left in the device's store, but the device keeps its id.
    const meta = await page.evaluate(
      () =>
        new Promise<string[]>((resolve) => {
          const open = indexedDB.open('wingcheck');
          open.onsuccess = () => {
            const keys = open.result.transaction('meta').objectStore('meta').getAllKeys();
            keys.onsuccess = () => {
              resolve(keys.result.map(String));
              open.result.close();
            };
          };
        }),
    );
    expect(meta).toEqual(['clientId']);
    // The server session is gone too.
    const me = await page.evaluate(async () => (await fetch('/api/me')).status);
    expect(me).toBe(401);
  });

  test('when the server ends the session, the app asks for the password again and keeps queued work', async ({ page, context }) => {
    const shell = new AppShell(page);
    await new SignInPage(page).signInAs('dg.demo');
    await new TodayPage(page).waitForReference();
    await context.clearCookies(); // as if the session expired on the server
    await queueWork(page); // its sync is refused: 401
    await context.setOffline(true);
    await expect(shell.connectionState).toHaveText('Offline');
    await context.setOffline(false); // back online: the app checks its session
    const banner = page.getByRole('region', { name: 'Sign in again' });
    await expect(banner).toBeVisible();
    await expect(banner).toContainText('1 waiting to sync will be sent after you sign in');
    await banner.getByLabel('Password').fill('e2e demo password');
    await banner.getByRole('button', { name: 'Sign in' }).click();
    await expect(banner).toBeHidden();
    // Signed in again, the work that waited is sent.
    await expect(shell.waitingCount).toHaveText('0 waiting to sync');
    await expect(page.getByTestId('sync-sent')).toContainText('All sent at');
  });
});

test('someone given a password by an admin chooses their own at first sign-in, before anything else', async ({ page, request }) => {
  // The admin adds them (through the API, as the Users screen does).
  const admin = await request.post('/api/session', { data: { username: 'admin.demo', password: DEMO_PASSWORD } });
  const { csrfToken } = (await admin.json()) as { csrfToken: string };
  const made = await request.post('/api/users', {
    headers: { [CSRF_HEADER]: csrfToken },
    data: { username: 'first.sign-in', displayName: 'Fay First', password: 'given by the admin', roles: ['unit-manager'] },
  });
  expect(made.status()).toBe(201);

  const signIn = new SignInPage(page);
  await page.goto('/');
  await signIn.username.fill('first.sign-in');
  await signIn.password.fill('given by the admin');
  await signIn.submit.click();
  await expect(page.getByRole('heading', { name: 'Choose your password' })).toBeVisible();
  await expect(page.getByTestId('signed-in-as')).toHaveCount(0);

  await page.getByLabel('One-time password').fill('given by the admin');
  await page.getByLabel('New password', { exact: true }).fill('short');
  await page.getByRole('button', { name: 'Save password' }).click();
  await expect(page.getByRole('alert')).toContainText('Enter a new password of at least 10 characters');

  await page.getByLabel('New password', { exact: true }).fill('my own words for this');
  await page.getByLabel('New password again').fill('my own words for this');
  await page.getByRole('button', { name: 'Save password' }).click();
  await expect(page.getByTestId('signed-in-as')).toContainText('Fay First');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Today');

  // The admin's password no longer works; theirs does.
  const old = await request.post('/api/session', { data: { username: 'first.sign-in', password: 'given by the admin' } });
  expect(old.status()).toBe(401);
  const mine = await request.post('/api/session', { data: { username: 'first.sign-in', password: 'my own words for this' } });
  expect(((await mine.json()) as { mustChangePassword: boolean }).mustChangePassword).toBe(false);
});
