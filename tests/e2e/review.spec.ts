import { execFileSync } from 'node:child_process';
import { expect, test } from './fixtures/test.ts';
import { AppShell } from './pages/AppShell.ts';
import { CheckForm, imageFile, TodayPage } from './pages/CapturePages.ts';
import { chooseDemoPlan, DEMO_ACTION } from './pages/ReviewPages.ts';
import { SignInPage } from './pages/SignInPage.ts';
import { expectAccessible } from './support/accessible.ts';

const ROUND = [
  'Are staff present on the landings and engaging with prisoners?',
  'Were staff–prisoner interactions you saw respectful and positive?',
  'Are living conditions (cleanliness, repair, heating) acceptable?',
  'Is the regime running as planned (unlock, activities, exercise)?',
];
const ACTION = DEMO_ACTION;

test('the head of residence reviews a duty governor’s evidence: views a photo, returns one check, accepts another', async ({ page, browser }) => {
  // dg.demo runs two rounds, one with a photo; they are sent at once (online).
  const shell = new AppShell(page);
  const today = new TodayPage(page);
  await new SignInPage(page).signInAs('dg.demo');
  await today.waitForReference();
  const checkUrls: string[] = [];
  for (const [i, unit] of ['A Wing', 'B Wing'].entries()) {
    await page.goto('/');
    await today.dueItem('Duty Governor round', unit).getByRole('link').click();
    const form = new CheckForm(page);
    for (const question of ROUND) await form.choose(question, 'Pass');
    await form.choose("Has today's servery check been done and recorded?", 'Yes');
    if (i === 0) {
      await form.addCheckPhotos(imageFile('servery-counter.jpg'));
      await expect(form.checkPhotos()).toHaveCount(1);
    }
    await form.submit.click();
    await expect(page.getByTestId('sync-state')).toHaveText('Sent', { timeout: 30_000 });
    checkUrls.push(page.url().replace(/\?.*$/, ''));
  }

  // hor.demo, on another device, finds the action in the overview and opens its evidence.
  const horContext = await browser.newContext();
  const hor = await horContext.newPage();
  await new SignInPage(hor).signInAs('hor.demo');
  await new AppShell(hor).navigateTo('Review');
  await chooseDemoPlan(hor);
  await hor.getByLabel('Search').fill(ACTION);
  await expect(hor.getByTestId('overview-count')).toHaveText('1 of 66 actions');
  await expectAccessible(hor, 'Review overview');
  // The action is named the same in the overview as on its own page: "1.2", never a bare "1".
  const ref = (await hor.getByTestId('overview').locator('.app-ref').textContent()) ?? '';
  expect(ref).toMatch(/^\d+\.\d+$/);
  await hor.getByTestId('overview').getByRole('link').click();
  await expect(hor.getByRole('heading', { level: 1 })).toHaveText(`Action ${ref}`);
  // Newest first: the two rounds just sent head the demo's weeks of history.
  const evidence = hor.getByTestId('evidence');
  await expect(evidence.nth(0)).toContainText('Dana Governor (demo)');
  await expect(hor.getByTestId('evidence-shown')).toContainText('Showing the newest 25 of');

  // The photo: a thumbnail that opens at full size.
  const withPhoto = evidence.filter({ hasText: 'A Wing' }).first();
  const thumbnail = withPhoto.getByRole('img');
  await expect.poll(() => thumbnail.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(2048);
  const [full] = await Promise.all([hor.waitForEvent('popup'), withPhoto.getByRole('link', { name: /full size/ }).click()]);
  await full.waitForLoadState();
  expect(full.url()).toMatch(/\/api\/blobs\/[0-9a-f]{64}$/);
  await full.close();

  await withPhoto.getByRole('button', { name: 'Return this evidence' }).click();
  await withPhoto.getByLabel('Why is it returned?').fill('The photo does not show the landing.');
  await withPhoto.getByRole('button', { name: 'Return evidence' }).click();
  await expect(withPhoto.getByTestId('reviews')).toContainText('Returned by Harper Residence (demo)');
  const other = evidence.filter({ hasText: 'B Wing' }).first();
  await other.getByRole('button', { name: 'Accept this evidence' }).click();
  await expect(other.getByTestId('reviews')).toContainText('Accepted by Harper Residence (demo)');
  // The action's status is queued like any change, and said so.
  await hor.getByRole('group', { name: 'Set the action’s status' }).getByLabel('In progress').check();
  await hor.getByRole('button', { name: 'Save status' }).click();
  await expect(hor.getByRole('status').filter({ hasText: 'Status set to “In progress”' })).toBeVisible();
  await horContext.close();

  // Back on dg.demo's tablet, the next sync brings the decision: the returned round heads Today, with why.
  await shell.navigateTo('Sync');
  await page.getByRole('button', { name: 'Sync now' }).click();
  await page.goto(checkUrls[0] ?? '/');
  await expect(page.getByTestId('review-decision')).toContainText('Returned by Harper Residence (demo)');
  await expect(page.getByTestId('review-decision')).toContainText('The photo does not show the landing.');
  await page.goto('/');
  const returned = page.getByTestId('returned').getByRole('listitem').filter({ hasText: 'The photo does not show the landing.' });
  await expect(returned).toContainText('Duty Governor round');
  await expect(returned).toContainText('A Wing');
  await returned.getByRole('button', { name: /^Correct it/ }).click();
  // The correction starts from the returned round's answers and replaces it once submitted; both are kept.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Duty Governor round');
  await expect(page.locator('.govuk-caption-l')).toContainText('Correction');
  const form = new CheckForm(page);
  await form.addCheckPhotos(imageFile('hot-trolley.jpg'));
  await form.submit.click();
  await expect(page.getByTestId('sync-state')).toBeVisible();
  await page.goto('/');
  await expect(page.getByTestId('returned')).toHaveCount(0);
});

test('the head of residence sees a missed day in coverage and exports the action’s evidence pack as a PDF', async ({ page }) => {
  await new SignInPage(page).signInAs('hor.demo');
  await new AppShell(page).navigateTo('Coverage');
  await page.getByLabel('Last 4 weeks').check();
  await page.getByRole('button', { name: 'Show coverage' }).click();
  // The demo's schedules started long ago and most days have no check: missed.
  await expect(page.locator('.app-coverage__scroller').first().getByText('Missed').first()).toBeAttached();
  // A cell with checks opens them, read from the server, each a link to the check.
  await page.locator('.app-coverage__scroller').first().getByRole('button', { name: /: show its checks$/ }).first().click();
  await expect(page.getByTestId('coverage-detail').getByRole('link').first()).toHaveAttribute('href', /^\/checks\/[0-9a-f-]{36}$/);

  await page.goto('/review/export');
  const planChoice = page.locator('#export-plan');
  const demo = await planChoice.locator('option', { hasText: 'demo copy' }).getAttribute('value');
  await planChoice.selectOption(demo ?? '');
  await page.getByLabel('One action').check();
  const actionChoice = page.locator('#export-action');
  const action = await actionChoice.locator('option', { hasText: ACTION }).getAttribute('value');
  await actionChoice.selectOption(action ?? '');
  // Made in the background: the page follows it and offers the file once it is ready.
  await page.getByRole('button', { name: 'Create PDF pack' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'PDF pack of action' })).toContainText('is ready', { timeout: 30_000 });
  const pack = page.getByTestId('pack').first();
  await expect(pack).toContainText('Ready');
  const [download] = await Promise.all([page.waitForEvent('download'), pack.getByRole('link', { name: /^Download/ }).click()]);
  const file = test.info().outputPath('pack.pdf');
  await download.saveAs(file);
  const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))?.[1]);
  expect(pages).toBeGreaterThanOrEqual(4);
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  expect(text).toContain('Duty Governor round');
  expect(text).toContain('Dana Governor (demo)');
  expect(text).toContain('The photo does not show the landing.');
});

test('the head of residence reads the review screens with no signal, photos included, and sees when they were refreshed', async ({ page }) => {
  const shell = new AppShell(page);
  await new SignInPage(page).signInAs('hor.demo');
  await shell.waitForOfflineReady();
  // Opened again once the service worker controls the page: the review data and the recent
  // photos are fetched ahead, as on every start with a connection.
  await page.reload();
  await expect
    .poll(() => page.evaluate(async () => (await (await caches.open('wingcheck-photos')).keys()).length), { timeout: 30_000 })
    .toBeGreaterThanOrEqual(1);

  await page.context().setOffline(true);
  await expect(shell.connectionState).toHaveText('Offline');
  await page.goto('/review');
  await chooseDemoPlan(page);
  await expect(page.getByTestId('freshness')).toContainText(/You are offline\. Showing what this device kept, last refreshed \d+ \w+ \d{4} at/);
  // An action that never had evidence was never fetched ahead: it opens from the plan on the device.
  const quiet = page.getByTestId('overview').getByRole('row').filter({ has: page.locator('td[data-label="Evidence"]', { hasText: /^0$/ }) }).first();
  const quietRef = (await quiet.locator('.app-ref').textContent()) ?? '';
  await quiet.getByRole('link').click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Action ${quietRef}`);
  await expect(page.getByTestId('freshness')).toContainText('this page was not kept on this device');
  await expect(page.getByTestId('no-evidence')).toBeVisible();
  await expect(page.locator('.govuk-summary-list')).toContainText('Owner');

  await page.goto('/review');
  await chooseDemoPlan(page);
  await page.getByLabel('Search').fill(ACTION);
  await page.getByTestId('overview').getByRole('link').click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^Action \d+\.\d+$/);
  await expect(page.getByTestId('freshness')).toContainText('You are offline');
  // The round returned in the first test (since corrected): its photo was kept for reading offline.
  const withPhoto = page.getByTestId('evidence').filter({ hasText: 'The photo does not show the landing.' });
  await expect.poll(() => withPhoto.getByRole('img').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(2048);
  await expect(withPhoto).toContainText('Accepting or returning evidence needs a connection.');
  await expect(withPhoto.getByTestId('reviews')).toContainText('Returned by Harper Residence (demo)');

  await shell.navigateTo('Coverage');
  await expect(page.getByTestId('freshness')).toContainText('You are offline');
  await expect(page.locator('.app-coverage__scroller').first()).toBeVisible();
});
