import { expect, test } from './fixtures/test.ts';
import { AppShell } from './pages/AppShell.ts';
import { chooseDemoPlan, DEMO_ACTION } from './pages/ReviewPages.ts';
import { SignInPage } from './pages/SignInPage.ts';

test('the head of residence closes an action with a typed signature bound to its evidence; returning evidence afterwards shows', async ({ page }) => {
  const shell = new AppShell(page);
  await new SignInPage(page).signInAs('hor.demo');
  await shell.navigateTo('Review');
  await chooseDemoPlan(page);
  await page.getByLabel('Search').fill(DEMO_ACTION);
  await page.getByTestId('overview').getByRole('link').click();
  const actionUrl = page.url();

  const statuses = page.getByRole('group', { name: 'Set the action’s status' });
  await statuses.getByLabel('Complete').check();
  // No signature, no sign-off.
  await page.getByRole('button', { name: 'Save status' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Type your name to sign off the action' })).toBeVisible();
  await page.getByLabel('Your name, as your signature').fill('Harriet Oduya');
  await page.getByRole('button', { name: 'Save status' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Status set to “Complete”' })).toBeVisible();
  await shell.navigateTo('Sync');
  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect(page.getByTestId('waiting-count')).toHaveText('0 waiting to sync', { timeout: 30_000 });

  await page.goto(actionUrl);
  const signOff = page.getByTestId('sign-off');
  const signed = /Signed off by Harriet Oduya, Head of residence, .* on \d+ accepted checks? \(evidence SHA-256 [0-9a-f]{64}\)\./;
  await expect(signOff).toContainText(signed);
  await expect(signOff.getByTestId('sign-off-changed')).toHaveCount(0);

  // An accepted piece of evidence is returned after sign-off: the sign-off says its evidence changed.
  const accepted = page.getByTestId('evidence').filter({ has: page.getByTestId('decision').filter({ hasText: 'Accepted' }) }).first();
  await accepted.getByRole('button', { name: 'Return this evidence' }).click();
  await accepted.getByLabel('Why is it returned?').fill('Signed on the wrong day.');
  await accepted.getByRole('button', { name: 'Return evidence' }).click();
  await expect(signOff.getByTestId('sign-off-changed')).toContainText('The evidence has changed since it was signed off: 1 no longer accepted or altered.');
});
