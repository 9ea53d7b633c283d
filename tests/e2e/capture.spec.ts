import { writeFileSync } from 'node:fs';
import { expect, test } from './fixtures/test.ts';
import { AppShell } from './pages/AppShell.ts';
import { CheckForm, imageFile, TodayPage } from './pages/CapturePages.ts';
import { SignInPage } from './pages/SignInPage.ts';
import { expectAccessible } from './support/accessible.ts';

const SERVERY = 'Daily servery check';

test.describe('capturing evidence on the wing', () => {
  test('an offline servery check with a failure, a low reading and two photos survives a reload and a closed tab', async ({ page, context }) => {
    const shell = new AppShell(page);
    const today = new TodayPage(page);
    await new SignInPage(page).signInAs('so.demo');
    await today.waitForReference();
    await shell.waitForOfflineReady();
    await context.setOffline(true);
    await expect(shell.connectionState).toHaveText('Offline');

    await today.dueItem(SERVERY, 'A Wing').getByRole('link').click();
    await expect(shell.heading).toHaveText(SERVERY);
    const form = new CheckForm(page);
    await form.choose('Is the servery counter, floor and equipment clean?', 'Fail');
    await expect(form.item('Is the servery counter, floor and equipment clean?')).toContainText('Say what is wrong and what was done.');
    await form.note('Is the servery counter, floor and equipment clean?', 'Spilt food under the counter; servery worker cleaned it.');
    await form.choose('Are servery workers in clean whites, hats and gloves?', 'Pass');
    await form.reading('Hot food probe temperature at trolley collection', '58');
    await expect(form.item('Hot food probe temperature at trolley collection')).toContainText('Out of range (63 °C or above)');
    await form.addCheckPhotos(imageFile('servery-counter.jpg'));
    await expect(form.checkPhotos()).toHaveCount(1);

    // Halfway: the tablet reloads. Everything so far comes back from the device.
    await page.reload();
    await expect(shell.heading).toHaveText(SERVERY);
    await expect(form.item('Is the servery counter, floor and equipment clean?').getByLabel('Fail', { exact: true })).toBeChecked();
    await expect(form.item('Is the servery counter, floor and equipment clean?').getByLabel('Note')).toHaveValue(
      'Spilt food under the counter; servery worker cleaned it.',
    );
    await expect(form.item('Hot food probe temperature at trolley collection').getByRole('textbox').first()).toHaveValue('58');
    await expect(form.checkPhotos()).toHaveCount(1);

    // Submitting too early names what is missing, and keeps everything.
    await form.submit.click();
    await expect(form.errorSummary).toContainText('Add a note saying what is wrong and what was done for “Hot food probe temperature at trolley collection”');
    await expect(form.errorSummary).toContainText('Answer “Is the heated trolley clean inside and out?”');

    await form.note('Hot food probe temperature at trolley collection', 'Trolley reheated to 75 °C before serving.');
    await form.choose('Is the heated trolley clean inside and out?', 'Pass');
    await form.reading('Hot food probe temperature at serving', '68');
    await form.choose('Does the food look and smell as it should, matching the menu?', 'Pass');
    await form.choose('Are portions served as the portion-control guidance says?', 'Pass');
    await form.choose('Is the food comments book available at the servery?', 'Yes');
    await form.addCheckPhotos(imageFile('hot-trolley.jpg'));
    await expect(form.checkPhotos()).toHaveCount(2);
    await form.submit.click();
    await expect(page.getByRole('region', { name: 'Submitted' })).toContainText('Check submitted');
    await expect(page.getByTestId('sync-state')).toHaveText('Waiting to sync');
    await expect(shell.waitingCount).toHaveText('1 waiting to sync');
    const checkUrl = page.url().replace(/\?.*$/, '');
    await page.close();

    // A new page, still offline: the check is there, waiting, with both photos.
    const again = await context.newPage();
    const againShell = new AppShell(again);
    await again.goto('/');
    await expect(againShell.heading).toHaveText('Today');
    await expect(againShell.connectionState).toHaveText('Offline');
    const todayAgain = new TodayPage(again);
    await expect(todayAgain.dueItem(SERVERY, 'A Wing')).toContainText('Done');
    const submitted = todayAgain.submitted.getByRole('listitem').filter({ hasText: SERVERY });
    await expect(submitted).toContainText('Waiting to sync');
    await submitted.getByRole('link').click();
    expect(again.url()).toBe(checkUrl);
    await expect(again.getByTestId('sync-state')).toHaveText('Waiting to sync');
    const failed = again.getByTestId('answer').filter({ has: again.locator('.govuk-tag--red') });
    await expect(failed).toHaveCount(2);
    await expect(failed.nth(1)).toContainText('58 °C');
    const photos = again.getByRole('list', { name: 'Photo' }).getByRole('img');
    await expect(photos).toHaveCount(2);
    for (const img of await photos.all()) {
      await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth)).toBeGreaterThan(0);
    }
    // Shrunk on the device: the 2400×1800 photo is stored at 2048 px on its longest side.
    await expect(again.getByText('2048×1536')).toBeVisible();
  });

  test('bad photos each get a clear message and lose nothing, even with the disk full', async ({ page }) => {
    const today = new TodayPage(page);
    await new SignInPage(page).signInAs('so.demo');
    await today.waitForReference();
    await today.dueItem(SERVERY, 'B Wing').getByRole('link').click();
    const form = new CheckForm(page);
    await form.choose('Is the servery counter, floor and equipment clean?', 'Pass');
    await form.addCheckPhotos(imageFile('servery-counter.jpg'));
    await expect(form.checkPhotos()).toHaveCount(1);

    const jpeg = imageFile('servery-counter.jpg').buffer;
    const errors = page.getByTestId('photo-error');
    // 50 MB, refused before it is even read.
    // Playwright passes files over 50 MB by path.
    const huge = test.info().outputPath('IMG_5000.jpg');
    writeFileSync(huge, Buffer.concat([jpeg, Buffer.alloc(50 * 1024 * 1024 - jpeg.length)]));
    await form.addCheckPhotos(huge);
    // Handing 50 MB to the page takes a while on a busy machine: the wait is for the transfer, not the app.
    await expect(errors).toContainText('“IMG_5000.jpg” is 50 MB', { timeout: 30_000 });
    // Cut short in transfer.
    await form.addCheckPhotos({ name: 'cut-short.jpg', mimeType: 'image/jpeg', buffer: jpeg.subarray(0, Math.floor(jpeg.length * 0.6)) });
    await expect(errors).toContainText('“cut-short.jpg” is incomplete');
    // Not a photo at all.
    await form.addCheckPhotos({ name: 'rota.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('Name,Shift\nA,Early\n') });
    await expect(errors).toContainText('“rota.jpg” is not a photo Wingcheck can read');
    // A transparent PNG is kept, with white where it was see-through.
    await form.addCheckPhotos(imageFile('transparent-sign.png'));
    await expect(page.getByTestId('photo-notice')).toContainText('“transparent-sign.png” has see-through areas');
    await expect(form.checkPhotos()).toHaveCount(2);

    // The disk fills up: IndexedDB refuses the next photo as a full disk does (QuotaExceededError).
    // Simulated in the page: Chromium does not enforce a lowered quota on a test browser's
    // in-memory storage (Storage.overrideQuotaForOrigin is accepted and ignored by IndexedDB).
    await page.evaluate(() => {
      // eslint-disable-next-line @typescript-eslint/unbound-method -- re-applied below with the store as `this`
      const add = IDBObjectStore.prototype.add;
      IDBObjectStore.prototype.add = function (this: IDBObjectStore, ...args: Parameters<typeof add>) {
        if (this.name === 'photos') throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        return add.apply(this, args);
      };
    });
    await form.addCheckPhotos(imageFile('hot-trolley.jpg'));
    await expect(errors).toContainText('This tablet has run out of space for Wingcheck, so the photo was not saved');
    await expect(form.checkPhotos()).toHaveCount(2);
    // Answers still save (only photos were refused here), and the draft is intact after a reload.
    await form.choose('Are servery workers in clean whites, hats and gloves?', 'Pass');

    await page.reload();
    await expect(form.item('Is the servery counter, floor and equipment clean?').getByLabel('Pass', { exact: true })).toBeChecked();
    await expect(form.checkPhotos()).toHaveCount(2);
  });

  test('a correction supersedes a submitted check and both stay; free evidence goes against an action', async ({ page }) => {
    const shell = new AppShell(page);
    const today = new TodayPage(page);
    await new SignInPage(page).signInAs('dg.demo');
    await today.waitForReference();
    // Offline, so what is submitted stays waiting on the device for this test to see.
    await new AppShell(page).waitForOfflineReady();
    await page.context().setOffline(true);
    await today.dueItem('Duty Governor round', 'C Wing').getByRole('link').click();
    const form = new CheckForm(page);
    for (const question of [
      'Are staff present on the landings and engaging with prisoners?',
      'Were staff–prisoner interactions you saw respectful and positive?',
      'Are living conditions (cleanliness, repair, heating) acceptable?',
      'Is the regime running as planned (unlock, activities, exercise)?',
    ]) {
      await form.choose(question, 'Pass');
    }
    await form.choose("Has today's servery check been done and recorded?", 'Yes');
    // Linked from the schedule to the actions this round proves.
    await expect(page.locator('#actions input:checked')).toHaveCount(3);
    await form.submit.click();
    await expect(page.getByTestId('sync-state')).toHaveText('Waiting to sync');

    await page.getByRole('button', { name: 'Correct this check' }).click();
    await expect(shell.heading).toHaveText('Duty Governor round');
    await form.choose('Is the regime running as planned (unlock, activities, exercise)?', 'Fail');
    await form.note('Is the regime running as planned (unlock, activities, exercise)?', 'Exercise cancelled: staff redeployed.');
    await form.submit.click();
    await page.getByRole('link', { name: 'an earlier check' }).click();
    await expect(page.getByTestId('superseded')).toContainText('This was corrected');
    await expect(page.getByRole('button', { name: 'Correct this check' })).toHaveCount(0);

    // Record evidence opens the action's page, which starts nothing until the person chooses a check or a note.
    await shell.navigateTo('Today');
    const action = today.myActions.getByRole('listitem').first();
    await action.getByRole('link', { name: /Record evidence/ }).click();
    await expect(shell.heading).toHaveText(/^Action \d+\.\d+$/);
    await page.goBack();
    await expect(today.myActions).toBeVisible();
    await expect(today.drafts).toHaveCount(0);
    await action.getByRole('link', { name: /Record evidence/ }).click();
    await page.getByRole('button', { name: /^Add a note and photos/ }).click();
    await expect(shell.heading).toHaveText('Record evidence');
    await form.submit.click();
    await expect(form.errorSummary).toContainText('Write what was done or seen');
    await page.getByLabel('What was done or seen').fill('Briefed the evening shift on expected standards.');
    await form.saved();
    await form.submit.click();
    await expect(shell.heading).toHaveText('Evidence note');
    await expect(shell.waitingCount).toHaveText('3 waiting to sync');
  });

  for (const size of [
    { width: 768, height: 1024 },
    { width: 360, height: 740 },
  ]) {
    test(`every capture screen passes axe with no serious violations at ${size.width}×${size.height}`, async ({ page }) => {
      await page.setViewportSize(size);
      const today = new TodayPage(page);
      await new SignInPage(page).signInAs('so.demo');
      await today.waitForReference();
      await expectAccessible(page, 'Today');
      await page.goto('/checks/new');
      await expect(page.getByRole('heading', { name: 'Run a check' })).toBeVisible();
      await expectAccessible(page, 'Run a check');
      await page.getByLabel('Daily unit cleaning checklist').check();
      await page.getByLabel('Unit', { exact: true }).selectOption({ label: 'D Wing' });
      await page.getByRole('button', { name: 'Start check' }).click();
      const form = new CheckForm(page);
      await form.choose('Are the landings swept, mopped and free of litter?', 'Fail');
      await form.submit.click();
      await expect(form.errorSummary).toBeVisible();
      await expectAccessible(page, 'Check form with errors');
      await form.note('Are the landings swept, mopped and free of litter?', 'Litter on the 2s.');
      for (const q of ['Are the showers clean, working and free of mould?', 'Are association areas clean and the furniture intact?', 'Is the servery area clean after the last meal?']) {
        await form.choose(q, 'Pass');
      }
      await form.reading('How many cells did you look at?', '5');
      await form.reading('How many were below the expected standard?', '0');
      await form.submit.click();
      await expect(page.getByTestId('sync-state')).toBeVisible();
      await expectAccessible(page, 'Submitted check');
    });
  }
});
