import { execFileSync } from 'node:child_process';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures/test.ts';
import { AppShell } from './pages/AppShell.ts';
import { CheckForm, imageFile, TodayPage } from './pages/CapturePages.ts';
import { SignInPage } from './pages/SignInPage.ts';

const ROUND = [
  'Are staff present on the landings and engaging with prisoners?',
  'Were staff–prisoner interactions you saw respectful and positive?',
  'Are living conditions (cleanliness, repair, heating) acceptable?',
  'Is the regime running as planned (unlock, activities, exercise)?',
];
const ACTION = 'The Head of Residence will introduce, as part of handovers and briefings';

/** On Review: other specs may have imported more plans (the newest shows first), so choose the demo's. */
async function chooseDemoPlan(page: Page): Promise<void> {
  // The plan list and the first plan's overview have loaded once some actions are counted.
  await expect(page.getByTestId('overview-count')).toContainText(/\d+ of [1-9]\d* actions/);
  const planChoice = page.getByLabel('Plan', { exact: true });
  if ((await planChoice.count()) > 0) {
    const demo = await planChoice.locator('option', { hasText: 'demo copy' }).getAttribute('value');
    await planChoice.selectOption(demo ?? '');
  }
  await expect(page.getByTestId('overview-count')).toContainText('of 66 actions');
}

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
  const serious = (await new AxeBuilder({ page: hor }).analyze()).violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => v.id)).toEqual([]);
  await hor.getByTestId('overview').getByRole('link').click();
  await expect(hor.getByRole('heading', { level: 1 })).toHaveText('Action 1');
  const evidence = hor.getByTestId('evidence');
  await expect(evidence).toHaveCount(2);

  // The photo: a thumbnail that opens at full size.
  const withPhoto = evidence.filter({ hasText: 'A Wing' });
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
  const other = evidence.filter({ hasText: 'B Wing' });
  await other.getByRole('button', { name: 'Accept this evidence' }).click();
  await expect(other.getByTestId('reviews')).toContainText('Accepted by Harper Residence (demo)');
  await horContext.close();

  // Back on dg.demo's tablet, the next sync brings the decision.
  await shell.navigateTo('Sync');
  await page.getByRole('button', { name: 'Sync now' }).click();
  await page.goto(checkUrls[0] ?? '/');
  await expect(page.getByTestId('review-decision')).toContainText('Returned by Harper Residence (demo)');
  await expect(page.getByTestId('review-decision')).toContainText('The photo does not show the landing.');
});

test('the head of residence sees a missed day in coverage and exports the action’s evidence pack as a PDF', async ({ page }) => {
  await new SignInPage(page).signInAs('hor.demo');
  await new AppShell(page).navigateTo('Coverage');
  await page.getByLabel('Last 4 weeks').check();
  await page.getByRole('button', { name: 'Show coverage' }).click();
  // The demo's schedules started long ago and most days have no check: missed.
  await expect(page.locator('.app-coverage__scroller').first().getByText('Missed').first()).toBeAttached();

  await page.goto('/review/export');
  const planChoice = page.locator('#export-plan');
  const demo = await planChoice.locator('option', { hasText: 'demo copy' }).getAttribute('value');
  await planChoice.selectOption(demo ?? '');
  await page.getByLabel('One action').check();
  const actionChoice = page.locator('#export-action');
  const action = await actionChoice.locator('option', { hasText: ACTION }).getAttribute('value');
  await actionChoice.selectOption(action ?? '');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download PDF' }).click()]);
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
  await page.getByLabel('Search').fill(ACTION);
  await page.getByTestId('overview').getByRole('link').click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Action 1');
  await expect(page.getByTestId('freshness')).toContainText('You are offline');
  const withPhoto = page.getByTestId('evidence').filter({ hasText: 'A Wing' });
  await expect.poll(() => withPhoto.getByRole('img').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(2048);
  await expect(withPhoto).toContainText('Accepting or returning evidence needs a connection.');
  await expect(withPhoto.getByTestId('reviews')).toContainText('Returned by Harper Residence (demo)');

  await shell.navigateTo('Coverage');
  await expect(page.getByTestId('freshness')).toContainText('You are offline');
  await expect(page.locator('.app-coverage__scroller').first()).toBeVisible();
});
