import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { Unit } from '../../src/shared/api/admin.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../support/chromium.ts';
import { expect, test } from './fixtures/test.ts';
import { AppShell } from './pages/AppShell.ts';
import { CheckForm, TodayPage, WEEKLY_CLEANING } from './pages/CapturePages.ts';
import { DEMO_ACTION, openDemoActionAsHead } from './pages/ReviewPages.ts';
import { SignInPage } from './pages/SignInPage.ts';
import { cameraFileOfTag } from './support/fake-camera.ts';

test('an admin prints the location tags; a unit manager scans one offline; the head of residence sees where the check was done', async ({
  page,
  browser,
  baseURL,
}) => {
  // The admin downloads the sheet from the Units screen: a QR code per unit and landing, each named.
  await new SignInPage(page).signInAs('admin.demo');
  await page.goto('/admin/units');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download the tag sheet (PDF)' }).click()]);
  const dir = test.info().outputPath('tags');
  mkdirSync(dir, { recursive: true });
  const sheet = path.join(dir, 'tags.pdf');
  await download.saveAs(sheet);
  // A long name wraps beside its code: read as one line.
  const text = execFileSync('pdftotext', [sheet, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  expect(text).toContain('HMP Demo: location tags');
  for (const name of ['A Wing', 'A Wing, landing 1s', 'C Wing, landing 4s', 'Care and Separation Unit, landing Ground']) expect(text).toContain(name);
  // The tablet's camera is shown A Wing's own tag: the sheet has each unit in use, in name order,
  // then each of its landings and other tagged places (other specs may have added units before it).
  const units = Unit.array().parse(await (await page.request.get('/api/units')).json()).filter((u) => !u.archived);
  const before = units.slice(0, units.findIndex((u) => u.name === 'A Wing'));
  const camera = cameraFileOfTag(sheet, before.reduce((n, u) => n + 1 + u.landings.length + u.places.length, 0), dir);

  // A tablet whose camera sees that tag, with no signal on the wing.
  const tablet = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS, '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${camera}`],
  });
  try {
    const context = await tablet.newContext({ baseURL, permissions: ['camera'], serviceWorkers: 'allow' });
    const so = await context.newPage();
    const problems: string[] = [];
    so.on('pageerror', (error) => problems.push(error.message));
    const shell = new AppShell(so);
    await new SignInPage(so).signInAs('so.demo');
    await new TodayPage(so).waitForReference();
    await shell.waitForOfflineReady();
    await context.setOffline(true);
    await expect(shell.connectionState).toHaveText('Offline');

    const checkWithTag = async () => {
      await so.goto('/checks/new');
      await so.getByLabel('Weekly unit cleaning checklist').check();
      await so.getByLabel('Unit', { exact: true }).selectOption({ label: 'A Wing' });
      await so.getByRole('button', { name: 'Start check' }).click();
      const form = new CheckForm(so);
      for (const question of WEEKLY_CLEANING) await form.choose(question, 'Pass');
      const link = so.getByLabel('Link another action');
      await link.selectOption((await link.locator('option', { hasText: DEMO_ACTION }).getAttribute('value')) ?? '');
      await so.getByRole('button', { name: 'Scan the location tag' }).click();
      await expect(so.getByTestId('tag-scanned')).toContainText(/Scanned A Wing at \d\d:\d\d/, { timeout: 20_000 });
      await form.submit.click();
    };
    await checkWithTag();
    await expect(so.getByTestId('sync-state')).toHaveText('Waiting to sync');
    await context.setOffline(false);
    await expect(so.getByTestId('sync-state')).toHaveText('Sent', { timeout: 30_000 });

    // The admin makes a new sheet (the old one was lost): the old tags no longer prove anything.
    await page.getByRole('button', { name: 'Make a new tag sheet' }).click();
    await expect(page.getByText('Sheet 2 is ready to download')).toBeVisible();
    await checkWithTag();
    await expect(so.getByTestId('sync-state')).toHaveText('Needs attention', { timeout: 30_000 });
    await so.goto('/sync');
    await expect(so.getByTestId('attention-reason').first()).toContainText('The location tag scanned was revoked when new tags were printed');
    expect(problems).toEqual([]);
  } finally {
    await tablet.close();
  }

  // The head of residence, on the action's evidence: where and when the tag was scanned.
  const { context: horContext, page: hor } = await openDemoActionAsHead(browser);
  const newest = hor.getByTestId('evidence').first();
  await expect(newest).toContainText('Weekly unit cleaning checklist, A Wing');
  await expect(newest.getByTestId('presence')).toContainText(/Scanned at A Wing \d\d:\d\d/);
  await horContext.close();
});
