// A duty governor who covers two prisons: one account, a choice of where they work, and each
// establishment's data apart on the tablet, online and offline.
import type { Browser, Page } from '@playwright/test';
import { DEMO_PASSWORD } from '../../playwright.config.ts';
import { client, wingcheckIn } from '../server/support/wingcheck-cli.ts';
import { expect, test } from './fixtures/test.ts';
import { AppShell } from './pages/AppShell.ts';
import { submitWeeklyCleaning } from './pages/CapturePages.ts';
import { OwnServer } from './support/own-server.ts';
import { checksOnServer } from './support/server-api.ts';

const NORTH_ADMIN = { username: 'north.admin', password: 'a password of her own' };

/**
 * A second establishment made as a real one is (the set-up command, with the server stopped), a
 * unit in it, and the demo's duty governor added by its admin on the Users screen.
 */
async function secondEstablishment(server: OwnServer, browser: Browser): Promise<void> {
  await server.stop();
  const made = await wingcheckIn(
    { WINGCHECK_DATA_DIR: server.dataDir },
    'create-establishment', '--name', 'HMP Northfield', '--time-zone', 'Europe/London',
    '--admin-username', NORTH_ADMIN.username, '--admin-name', 'Nell North',
  );
  expect(made.code, made.stderr).toBe(0);
  const { admin } = JSON.parse(made.stdout) as { admin: { oneTimePassword: string } };
  await server.start();
  const call = client(server.url);
  expect((await call('POST', '/api/session', { username: NORTH_ADMIN.username, password: admin.oneTimePassword })).status).toBe(200);
  const changed = await call('POST', '/api/session/password', { currentPassword: admin.oneTimePassword, newPassword: NORTH_ADMIN.password });
  expect(changed.status).toBe(200);
  expect((await call('POST', '/api/units', { name: 'North Wing', landings: ['1s'] })).status).toBe(201);

  const context = await browser.newContext({ baseURL: server.url });
  const page = await context.newPage();
  await page.goto('/admin/users');
  await page.getByLabel('Username').fill(NORTH_ADMIN.username);
  await page.getByLabel('Password').fill(NORTH_ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByLabel('Their username').fill('nobody.here');
  await page.getByRole('button', { name: 'Add to this establishment' }).click();
  await expect(page.getByRole('alert')).toContainText('nobody has that username');
  await page.getByLabel('Their username').fill('dg.demo');
  await page.getByRole('button', { name: 'Add to this establishment' }).click();
  await expect(page.getByRole('alert')).toContainText('Dana Governor (demo) now works in this establishment too.');
  await expect(page.locator('#users')).toContainText('dg.demo');
  await context.close();
}

/** The units the Today screen offers checks on: what this device holds of where the person works. */
const unitsOnToday = (page: Page) => page.getByTestId('other-checks').getByRole('heading', { level: 3 });
const signedInAs = (page: Page) => page.getByTestId('signed-in-as');

async function changeTo(page: Page, name: string): Promise<void> {
  await page.getByRole('link', { name: 'Change establishment' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Where are you working?');
  await page.getByLabel(name).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(signedInAs(page)).toHaveText(`Dana Governor (demo), ${name}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Today');
}

test('a duty governor in two establishments switches between them and sees only each one’s data, online and offline', async ({ browser }) => {
  test.slow(); // its own server, started twice, and the set-up command between
  const server = await OwnServer.create();
  await server.start();
  try {
    await secondEstablishment(server, browser);
    const context = await browser.newContext({ baseURL: server.url });
    const page = await context.newPage();
    const shell = new AppShell(page);

    // Signing in asks where they are working today.
    await page.goto('/');
    await page.getByLabel('Username').fill('dg.demo');
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(shell.heading).toHaveText('Where are you working?');
    await expect(page.getByLabel('HMP Demo')).toBeChecked();
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(shell.heading).toHaveText('Today');
    await expect(unitsOnToday(page).first()).toBeVisible();
    const demoUnits = await unitsOnToday(page).allTextContents();
    expect(demoUnits).toContain('A Wing');
    expect(demoUnits).not.toContain('North Wing');
    await shell.waitForOfflineReady();

    // Online, to the other one: only its unit.
    await changeTo(page, 'HMP Northfield');
    await expect(unitsOnToday(page)).toHaveText(['North Wing']);

    // A check made there with no signal waits there, and only there.
    await context.setOffline(true);
    const northCheck = await submitWeeklyCleaning(page, 'North Wing');
    await expect(shell.waitingCount).toHaveText('1 waiting to sync');
    await page.goto('/');

    // Offline, back to the demo (its data is on the device): its units and nothing of Northfield's.
    await changeTo(page, 'HMP Demo');
    await expect(unitsOnToday(page)).toHaveText(demoUnits);
    await expect(shell.waitingCount).toHaveText('0 waiting to sync');
    await page.reload();
    await expect(signedInAs(page)).toHaveText('Dana Governor (demo), HMP Demo');
    await expect(unitsOnToday(page)).toHaveText(demoUnits);
    await page.getByRole('link', { name: 'Change establishment' }).click();
    await expect(page.getByText('Kept on this device, 1 item waiting to send.')).toBeVisible();
    await page.goto('/checks/new');
    await expect(page.getByLabel('Unit', { exact: true }).locator('option', { hasText: 'North Wing' })).toHaveCount(0);

    // Offline to Northfield again, after a reload: still apart, its check still waiting.
    await page.goto('/');
    await changeTo(page, 'HMP Northfield');
    await page.reload();
    await expect(signedInAs(page)).toHaveText('Dana Governor (demo), HMP Northfield');
    await expect(unitsOnToday(page)).toHaveText(['North Wing']);
    await expect(shell.waitingCount).toHaveText('1 waiting to sync');

    // Back online: it is sent to Northfield, once, and the demo never sees it.
    await context.setOffline(false);
    await expect(shell.waitingCount).toHaveText('0 waiting to sync', { timeout: 30_000 });
    expect((await checksOnServer(server.url, NORTH_ADMIN)).map((c) => c.id)).toEqual([northCheck]);
    expect((await checksOnServer(server.url)).map((c) => c.id)).not.toContain(northCheck);
    await context.close();
  } finally {
    await server.dispose();
  }
});
