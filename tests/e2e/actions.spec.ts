import { expect, test } from './fixtures/test.ts';
import { AppShell } from './pages/AppShell.ts';
import { CheckForm, TodayPage } from './pages/CapturePages.ts';
import { SignInPage } from './pages/SignInPage.ts';

const SERVERY = 'Daily servery check';

test('a duty governor runs a servery check one tap from Today, outside any schedule; coverage and the week’s failures count it', async ({ page, browser }) => {
  // The head of residence's figures before: this week's checks with failures, and the C Wing servery cells with checks.
  const horContext = await browser.newContext();
  const hor = await horContext.newPage();
  await new SignInPage(hor).signInAs('hor.demo');
  const thisWeek = hor.getByTestId('dashboard').locator('tbody tr').last();
  const servery = hor.getByRole('region', { name: `${SERVERY}: each unit, day by day` });
  const cWingWithChecks = servery.getByRole('button', { name: /, C Wing, .*: show its checks$/ });
  const showCoverage = async () => {
    await hor.goto('/coverage');
    await hor.getByLabel('This week (Monday to Sunday)').check();
    await hor.getByRole('button', { name: 'Show coverage' }).click();
    await expect(servery).toBeVisible();
  };
  await hor.goto('/review');
  await expect(thisWeek.locator('td')).toHaveCount(4);
  const failuresBefore = Number(await thisWeek.locator('td').nth(2).textContent());
  await showCoverage();
  const cellsBefore = await cWingWithChecks.count();

  // dg.demo: C Wing's servery check is not theirs to do, but it is one tap away on Today.
  const shell = new AppShell(page);
  const today = new TodayPage(page);
  await new SignInPage(page).signInAs('dg.demo');
  await today.waitForReference();
  await expect(today.dueChecks).not.toContainText(SERVERY);
  await page.getByTestId('other-checks').getByRole('link', { name: `${SERVERY} on C Wing` }).click();
  await expect(shell.heading).toHaveText(SERVERY);
  await expect(page.locator('#unit')).toHaveValue(/[0-9a-f-]{36}/);
  await expect(page.locator('#unit option:checked')).toHaveText('C Wing');
  const form = new CheckForm(page);
  await form.choose('Is the servery counter, floor and equipment clean?', 'Pass');
  await form.choose('Are servery workers in clean whites, hats and gloves?', 'Pass');
  await form.reading('Hot food probe temperature at trolley collection', '58');
  await form.note('Hot food probe temperature at trolley collection', 'Trolley reheated before serving.');
  await form.choose('Is the heated trolley clean inside and out?', 'Pass');
  await form.reading('Hot food probe temperature at serving', '58');
  await form.note('Hot food probe temperature at serving', 'Served at 58 °C: reported to the kitchen.');
  await form.choose('Does the food look and smell as it should, matching the menu?', 'Pass');
  await form.choose('Are portions served as the portion-control guidance says?', 'Pass');
  await form.choose('Is the food comments book available at the servery?', 'Yes');
  await form.submit.click();
  await expect(page.getByTestId('sync-state')).toHaveText('Sent', { timeout: 30_000 });

  // Counted where the head of residence looks: today's C Wing cell now has a failed check, and the week one more.
  await showCoverage();
  await expect(cWingWithChecks).toHaveCount(cellsBefore + 1);
  await expect(cWingWithChecks.last()).toHaveAccessibleName(/^Failed items, C Wing, /);
  await hor.goto('/review');
  await expect(thisWeek.locator('td').nth(2)).toHaveText(String(failuresBefore + 1));
  await horContext.close();
});

test('a duty governor finds, filters and opens their actions with no signal', async ({ page, context }) => {
  const shell = new AppShell(page);
  await new SignInPage(page).signInAs('dg.demo');
  await new TodayPage(page).waitForReference();
  await shell.waitForOfflineReady();
  await context.setOffline(true);
  await expect(shell.connectionState).toHaveText('Offline');

  await shell.navigateTo('Actions');
  await expect(shell.heading).toHaveText('My actions');
  const cards = page.getByTestId('action');
  const count = await cards.count();
  expect(count).toBeGreaterThan(0);
  await expect(page.getByTestId('action-count')).toHaveText(`${count} of ${count} ${count === 1 ? 'action' : 'actions'}`);
  // Each names its action by its own reference, with its concern, due date, evidence and latest decision.
  await expect(cards.first().locator('.app-ref')).toHaveText(/^\d+\.\d+$/);
  await expect(cards.first()).toContainText('Concern');
  await expect(cards.first()).toContainText(/pieces? of evidence|No evidence yet/);

  await page.getByLabel('Search').fill('welfare checks');
  await expect(page.getByTestId('action-count')).toHaveText(new RegExp(`^\\d+ of ${count} `));
  await page.getByLabel('Search').fill('no action says this');
  await expect(page.getByTestId('action-count')).toHaveText(`0 of ${count} ${count === 1 ? 'action' : 'actions'}`);
  await page.getByLabel('Search').fill('');

  const ref = (await cards.first().locator('.app-ref').textContent()) ?? '';
  await cards.first().getByRole('link').click();
  await expect(shell.heading).toHaveText(`Action ${ref}`);
  await expect(page.getByTestId('action-text')).not.toBeEmpty();
  await expect(page.getByTestId('action-evidence').getByRole('listitem').first()).toContainText('Duty Governor round');
  await expect(page.getByRole('link', { name: /^Run a check/ })).toBeVisible();
});
