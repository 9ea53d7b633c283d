import { expect, test } from './fixtures/test.ts';
import { readyOffline } from './pages/CapturePages.ts';
import { SignInPage } from './pages/SignInPage.ts';

const DAILY_CLEANING = 'Daily unit cleaning checklist';
const TIME_ZONE = 'Europe/London';

/** The establishment's calendar day `days` before today, as YYYY-MM-DD. */
function dayBefore(days: number): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE }).format(new Date());
  const date = new Date(`${today}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() - days);
  return date.toISOString().slice(0, 10);
}

test('a unit manager explains a missed day offline; the head of residence accepts it and coverage shows it explained', async ({
  page,
  browser,
}) => {
  // The demo's A Wing had no daily cleaning check two days ago: so.demo manages A Wing.
  const missedOn = dayBefore(2);
  const missedWords = new Date(`${missedOn}T12:00:00Z`).toLocaleDateString('en-GB', {
    day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC',
  });
  const shell = await readyOffline(page);

  const missed = page.getByTestId('missed-checks');
  // A link that looks like a button: it goes to the explanation's page.
  const explain = page.getByRole('link', { name: `Explain ${DAILY_CLEANING}, A Wing, ${missedWords}`, exact: true });
  await expect(missed.getByRole('listitem').filter({ has: explain })).toContainText('Not explained');
  await explain.click();
  await expect(shell.heading).toHaveText('Explain a missed check');

  // Saving with no reason says what is wrong, and keeps the person on the page.
  await page.getByRole('button', { name: 'Save explanation' }).click();
  await expect(page.getByTestId('explain-error')).toContainText('Choose why the check was missed');
  await page.getByLabel('Lockdown').check();
  await page.getByLabel('What happened').fill('Whole-prison lockdown from 08:00 after an incident on B Wing.');
  await page.getByRole('button', { name: 'Save explanation' }).click();

  // Back on Today, still offline: the explanation is kept on the tablet and waits to be sent.
  const explained = page.getByTestId('missed-checks').getByRole('listitem').filter({ hasText: 'Whole-prison lockdown' });
  await expect(explained).toContainText(DAILY_CLEANING);
  await expect(explained).toContainText('A Wing');
  await expect(explained).toContainText('Explained, waiting to send');
  // It survives a reload with no signal.
  await page.reload();
  await expect(explained).toContainText('Explained, waiting to send');
  await page.context().setOffline(false);
  await expect(explained).toContainText('Explained, awaiting review', { timeout: 30_000 });

  // The head of residence reads it above the grid and accepts it.
  const horContext = await browser.newContext();
  const hor = await horContext.newPage();
  await new SignInPage(hor).signInAs('hor.demo');
  await hor.goto('/coverage');
  await hor.getByLabel('Last 4 weeks').check();
  await hor.getByRole('button', { name: 'Show coverage' }).click();
  const awaiting = hor.getByTestId('awaiting-explanations');
  const explanation = awaiting.getByTestId('explanation').filter({ hasText: `${DAILY_CLEANING}, A Wing` });
  await expect(explanation).toHaveCount(1);
  await expect(explanation.getByTestId('explanation-reason')).toContainText('Lockdown');
  await expect(explanation).toContainText('Explained by');
  const grid = hor.getByRole('region', { name: `${DAILY_CLEANING}: each unit, day by day` });
  const aWingCell = grid.getByRole('button', { name: /, A Wing, [^:]+: show why$/ });
  await expect(aWingCell).toHaveAccessibleName(/^Missed, explained, awaiting review, A Wing/);
  await explanation.getByRole('button', { name: 'Accept this explanation' }).click();

  // Coverage now shows the day explained, apart from the missed ones, with both percentages.
  await expect(explanation).toHaveCount(0);
  await expect(aWingCell).toHaveAccessibleName(/^Explained, A Wing/);
  const summary = hor.getByRole('region', { name: `${DAILY_CLEANING}: each unit, day by day` })
    .locator('xpath=ancestor::section[1]').getByTestId('coverage-summary');
  await expect(summary).toContainText('explained');
  await expect(summary).toContainText('Leaving out the explained days');
  await aWingCell.click();
  const detail = hor.getByTestId('coverage-detail');
  await expect(detail.getByTestId('explanation')).toContainText('Explanation accepted');
  await expect(detail.getByTestId('explanation')).toContainText('Accepted by');
  await horContext.close();

  // The tablet learns of the decision at its next sync.
  await page.goto('/sync');
  await page.getByRole('button', { name: 'Sync now' }).click();
  await page.goto('/');
  await expect(explained).toContainText('Explanation accepted');
});
