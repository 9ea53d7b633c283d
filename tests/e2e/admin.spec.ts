import { expect, test } from './fixtures/test.ts';
import { AppShell } from './pages/AppShell.ts';
import { SignInPage } from './pages/SignInPage.ts';

test('an admin adds a unit; hostile text shows as plain text; the audit log records it and checks out', async ({ page }) => {
  const shell = new AppShell(page);
  await new SignInPage(page).signInAs('admin.demo');
  await shell.navigateTo('Admin');
  await page.getByRole('link', { name: 'Units and landings' }).click();
  await expect(shell.heading).toHaveText('Units and landings');
  await expect(page.locator('#units')).toContainText('A Wing');

  const hostile = '<img src=x onerror="document.title=\'pwned\'"> Wing';
  await page.getByLabel('Name', { exact: true }).last().fill(hostile);
  await page.getByLabel('Landings').last().fill('1s, 2s');
  await page.getByRole('button', { name: 'Add unit' }).click();
  await expect(page.getByRole('alert')).toContainText(`${hostile} was added.`);
  await expect(page.locator('#units').getByRole('cell', { name: hostile, exact: true })).toBeVisible();
  await expect(page.locator('#units img')).toHaveCount(0);
  await expect(page).toHaveTitle('Units and landings – Wingcheck');

  await page.goto('/admin/audit');
  await expect(page.locator('#audit tbody tr').first()).toContainText('unit.create');
  await page.getByRole('button', { name: 'Check the log has not been changed' }).click();
  const intact = /^The log is intact: all \d+ entries check out, and \d+ pieces of evidence and \d+ review decisions match/;
  await expect(page.getByTestId('audit-verdict')).toHaveText(intact);

  // A checkpoint kept outside the database, then the log checked against it.
  await page.getByText('Keep a checkpoint, or check against one').click();
  const downloading = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download a checkpoint of the log now' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^wingcheck-audit-checkpoint-\d{4}-\d\d-\d\d-\d+\.json$/);
  await page.getByLabel('Check against a checkpoint file').setInputFiles(await download.path());
  await expect(page.getByTestId('audit-verdict')).toHaveText(/still holds the checkpoint’s entry \d+ unchanged\.$/);
  await page.getByLabel('Check against a checkpoint file').setInputFiles({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{}') });
  await expect(page.getByRole('alert')).toContainText('notes.json is not a Wingcheck audit checkpoint');
});

test('an admin gives a person a role; someone without the admin role cannot open admin screens', async ({ page }) => {
  const shell = new AppShell(page);
  await new SignInPage(page).signInAs('admin.demo');
  await page.goto('/admin/users');
  await expect(page.locator('#users')).toContainText('so.demo');
  await page.getByRole('button', { name: 'Change Sam Officer (demo)' }).click();
  const panel = page.getByTestId('edit-user');
  await panel.getByLabel('Duty governor').check();
  await panel.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('alert')).toContainText("Sam Officer (demo)'s details were saved.");
  await expect(page.locator('#users').getByRole('row', { name: /so\.demo/ })).toContainText('Duty governor');

  await page.goto('/sign-out');
  await page.getByRole('button', { name: 'Sign out and clear this device' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in to Wingcheck' })).toBeVisible();
  await new SignInPage(page).signInAs('dg.demo');
  await page.goto('/admin/users');
  await expect(shell.heading).toHaveText('Page not found');
});

test('an admin sets how long evidence is kept, sees what the purge would remove, and goes back to keeping everything', async ({ page }) => {
  const shell = new AppShell(page);
  await new SignInPage(page).signInAs('admin.demo');
  await shell.navigateTo('Admin');
  await page.getByRole('link', { name: 'Evidence retention' }).click();
  await expect(shell.heading).toHaveText('Evidence retention');
  await expect(page.locator('main')).toContainText('Evidence is kept until you choose a period.');

  const period = page.getByLabel('Keep evidence and photos for');
  await period.selectOption({ label: '6 years' });
  await page.getByRole('button', { name: 'Save retention period' }).click();
  await expect(page.getByRole('alert')).toContainText('Evidence is now kept for 6 years.');
  // The demo's history is weeks old: nothing is due to go.
  await expect(page.locator('main')).toContainText(/The next purge removes evidence submitted before \d+ \w+ \d{4}: nothing is due to go\./);
  await page.reload();
  await expect(period).toHaveValue('6');

  await period.selectOption({ label: 'Keep everything' });
  await page.getByRole('button', { name: 'Save retention period' }).click();
  await expect(page.getByRole('alert')).toContainText('Evidence is now kept until you choose a period.');
  await page.goto('/admin/audit');
  await expect(page.locator('#audit tbody tr').first()).toContainText('establishment.set-retention');
});
