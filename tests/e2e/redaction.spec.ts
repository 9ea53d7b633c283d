import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures/test.ts';
import { AppShell } from './pages/AppShell.ts';
import { CheckForm, TodayPage, WEEKLY_CLEANING } from './pages/CapturePages.ts';
import { DEMO_ACTION, openDemoActionAsHead } from './pages/ReviewPages.ts';
import { SignInPage } from './pages/SignInPage.ts';

/**
 * A photo with fine detail everywhere, as a cell card's print or a face has: 6 px black and white
 * stripes and a name in large letters. Drawn by the browser, as a PNG a camera roll might hold.
 */
async function detailedPhoto(page: Page): Promise<Buffer> {
  const base64 = await page.evaluate(async () => {
    const canvas = new OffscreenCanvas(900, 600);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no 2D context');
    for (let x = 0; x < 900; x += 12) {
      context.fillStyle = '#000';
      context.fillRect(x, 0, 6, 600);
      context.fillStyle = '#fff';
      context.fillRect(x + 6, 0, 6, 600);
    }
    context.fillStyle = '#c00';
    context.font = 'bold 90px sans-serif';
    context.fillText('A1234BC SMITH', 40, 330);
    const bytes = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer());
    let binary = '';
    for (const byte of bytes) binary += String.fromCharCode(byte);
    return btoa(binary);
  });
  return Buffer.from(base64, 'base64');
}

/** The draft's one photo as the tablet stores it (IndexedDB), and whether it is marked redacted. */
async function storedPhoto(page: Page): Promise<{ bytes: Buffer; redacted: boolean }> {
  const checkId = new URL(page.url()).pathname.split('/').at(-1) ?? '';
  const found = await page.evaluate(async (id) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('wingcheck');
      open.onsuccess = () => {
        resolve(open.result);
      };
      open.onerror = () => {
        reject(open.error ?? new Error('IndexedDB did not open'));
      };
    });
    const rows = await new Promise<{ bytes: ArrayBuffer; redacted?: boolean }[]>((resolve, reject) => {
      const request = db.transaction('photos').objectStore('photos').index('checkId').getAll(id);
      request.onsuccess = () => {
        resolve(request.result as { bytes: ArrayBuffer; redacted?: boolean }[]);
      };
      request.onerror = () => {
        reject(request.error ?? new Error('photos not read'));
      };
    });
    db.close();
    if (rows.length !== 1) throw new Error(`expected one photo on the draft, found ${rows.length}`);
    const [row] = rows;
    let binary = '';
    for (const byte of new Uint8Array(row?.bytes ?? new ArrayBuffer(0))) binary += String.fromCharCode(byte);
    return { base64: btoa(binary), redacted: row?.redacted === true };
  }, checkId);
  return { bytes: Buffer.from(found.base64, 'base64'), redacted: found.redacted };
}

/** The mean difference per channel between two photos, inside a region given in fractions of the photo. */
async function meanDifference(page: Page, a: Buffer, b: Buffer, region: [number, number, number, number]): Promise<number> {
  return page.evaluate(async ({ a: first, b: second, region: [x0, y0, x1, y1] }) => {
    const pixels = async (base64: string) => {
      const bitmap = await createImageBitmap(new Blob([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], { type: 'image/jpeg' }));
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const context = canvas.getContext('2d');
      if (!context) throw new Error('no 2D context');
      context.drawImage(bitmap, 0, 0);
      return { data: context.getImageData(0, 0, bitmap.width, bitmap.height).data, width: bitmap.width, height: bitmap.height };
    };
    const [p, q] = await Promise.all([pixels(first), pixels(second)]);
    if (p.width !== q.width || p.height !== q.height) throw new Error('the photos differ in size');
    let sum = 0;
    let n = 0;
    for (let y = Math.floor(y0 * p.height); y < Math.floor(y1 * p.height); y += 1) {
      for (let x = Math.floor(x0 * p.width); x < Math.floor(x1 * p.width); x += 1) {
        const i = (y * p.width + x) * 4;
        for (let c = 0; c < 3; c += 1) sum += Math.abs((p.data[i + c] ?? 0) - (q.data[i + c] ?? 0));
        n += 3;
      }
    }
    return sum / n;
  }, { a: a.toString('base64'), b: b.toString('base64'), region });
}

test('a photo blurred on the tablet is kept blurred, sent blurred, and marked redacted in review and the pack', async ({ page, browser }) => {
  const shell = new AppShell(page);
  await new SignInPage(page).signInAs('so.demo');
  await new TodayPage(page).waitForReference();
  await shell.waitForOfflineReady();
  const photo = await detailedPhoto(page);
  // On the wing, with no signal: blurring needs none.
  await page.context().setOffline(true);
  await expect(shell.connectionState).toHaveText('Offline');

  await page.goto('/checks/new');
  await page.getByLabel('Weekly unit cleaning checklist').check();
  await page.getByLabel('Unit', { exact: true }).selectOption({ label: 'B Wing' });
  await page.getByRole('button', { name: 'Start check' }).click();
  const form = new CheckForm(page);
  for (const question of WEEKLY_CLEANING) await form.choose(question, 'Pass');
  const link = page.getByLabel('Link another action');
  await link.selectOption((await link.locator('option', { hasText: DEMO_ACTION }).getAttribute('value')) ?? '');
  await form.addCheckPhotos({ name: 'cell-card.png', mimeType: 'image/png', buffer: photo });
  await expect(form.checkPhotos()).toHaveCount(1);
  const original = await storedPhoto(page);
  expect(original.redacted).toBe(false);

  // Drag a box over the middle of the photo: the stripes and the name run through it.
  await form.checkPhotos().getByRole('button', { name: 'Blur areas of Photo 1' }).click();
  const editor = page.getByTestId('blur-editor');
  await expect(editor.getByRole('heading')).toBeFocused();
  const stage = editor.getByTestId('blur-stage');
  await expect(stage.getByRole('img', { name: 'Photo 1' })).toBeVisible();
  await stage.scrollIntoViewIfNeeded();
  const box = await stage.boundingBox();
  if (!box) throw new Error('the photo is not shown');
  await page.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.3);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5, { steps: 5 });
  await page.mouse.move(box.x + box.width * 0.7, box.y + box.height * 0.7, { steps: 5 });
  await page.mouse.up();
  await expect(editor.getByTestId('blur-count')).toHaveText('One area to blur.');
  await expect(stage.getByRole('img', { name: /^Area 1 to blur: from 20% across and 30% down, 50% wide and 40% high$/ })).toBeVisible();
  // A tap is not an area.
  await page.mouse.click(box.x + box.width * 0.9, box.y + box.height * 0.1);
  await expect(editor.getByTestId('blur-count')).toHaveText('One area to blur.');
  await editor.getByRole('button', { name: 'Blur these areas' }).click();
  await expect(stage.getByRole('img', { name: 'Photo 1, with one area blurred' })).toBeVisible();
  await editor.getByRole('button', { name: 'Keep the blurred photo' }).click();
  await expect(editor).toHaveCount(0);
  await expect(form.checkPhotos().getByTestId('photo-redacted')).toHaveText('Blurred');

  // Stored blurred: inside the box the detail is gone; outside it the photo is as it was.
  const stored = await storedPhoto(page);
  expect(stored.redacted).toBe(true);
  const blurred = stored.bytes;
  expect(blurred.equals(original.bytes)).toBe(false);
  expect(await meanDifference(page, original.bytes, blurred, [0.25, 0.35, 0.65, 0.65])).toBeGreaterThan(60);
  expect(await meanDifference(page, original.bytes, blurred, [0.75, 0.75, 0.98, 0.98])).toBeLessThan(6);
  // ... and it stays so after a reload, with no signal.
  await page.reload();
  await expect(form.checkPhotos().getByTestId('photo-redacted')).toHaveText('Blurred');
  expect((await storedPhoto(page)).bytes.equals(blurred)).toBe(true);

  await form.submit.click();
  await expect(page.getByTestId('sync-state')).toHaveText('Waiting to sync');
  await page.context().setOffline(false);
  await expect(page.getByTestId('sync-state')).toHaveText('Sent', { timeout: 30_000 });

  // The server has the blurred photo, and never had the original.
  const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
  const sent = await page.request.get(`/api/blobs/${sha(blurred)}`);
  expect(sent.status()).toBe(200);
  expect(Buffer.from(await sent.body()).equals(blurred)).toBe(true);
  expect((await page.request.get(`/api/blobs/${sha(original.bytes)}`)).status()).toBe(404);

  // The head of residence sees it marked redacted on the action, and in the action's PDF pack.
  const { context: horContext, page: hor } = await openDemoActionAsHead(browser);
  const newest = hor.getByTestId('evidence').first();
  await expect(newest).toContainText('Weekly unit cleaning checklist, B Wing');
  await expect(newest.getByTestId('photo-redacted')).toContainText('Redacted');
  await expect(newest.getByTestId('photo-redacted')).toContainText('areas blurred on the device before it was kept');

  await hor.goto('/review/export');
  const planChoice = hor.locator('#export-plan');
  await planChoice.selectOption((await planChoice.locator('option', { hasText: 'demo copy' }).getAttribute('value')) ?? '');
  await hor.getByLabel('One action').check();
  const actionChoice = hor.locator('#export-action');
  await actionChoice.selectOption((await actionChoice.locator('option', { hasText: DEMO_ACTION }).getAttribute('value')) ?? '');
  await hor.getByRole('button', { name: 'Create PDF pack' }).click();
  await expect(hor.getByRole('status').filter({ hasText: 'PDF pack of action' })).toContainText('is ready', { timeout: 60_000 });
  const [download] = await Promise.all([hor.waitForEvent('download'), hor.getByTestId('pack').first().getByRole('link', { name: /^Download/ }).click()]);
  const file = test.info().outputPath('pack.pdf');
  await download.saveAs(file);
  const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  expect(text).toMatch(/Photo 1 of 1 \(areas blurred on the device before it was kept\)/);
  await horContext.close();
});
