/**
 * Capture on the device, in Chromium on the production build (run `npm run build` first):
 * - photo processing time per 12-megapixel camera JPEG (decode, shrink to 2048 px, encode, hash);
 * - time from tapping "Submit check" to the check, its photos' references and its outbox entry
 *   being committed to IndexedDB with strict durability.
 * Figures come from the app's own performance.measure entries (wingcheck:photo, wingcheck:submit).
 * Run: npm run bench:capture
 */
import { chromium, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/support/chromium.ts';
import { BENCH_PASSWORD, startBenchServer } from './support/server.ts';

const PHOTOS = 5;
const SUBMITS = 10;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** A 4000×3000 JPEG with camera-like detail (noise compresses as badly as a real scene). */
async function twelveMegapixelJpeg(page: Page): Promise<Buffer> {
  const base64 = await page.evaluate(async () => {
    const canvas = new OffscreenCanvas(4000, 3000);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no 2d context');
    const image = context.createImageData(4000, 3000);
    for (let i = 0; i < image.data.length; i += 4) {
      const shade = (i / 4) % 4000 / 16;
      image.data[i] = shade + Math.random() * 60;
      image.data[i + 1] = 120 + Math.random() * 60;
      image.data[i + 2] = 255 - shade + Math.random() * 60;
      image.data[i + 3] = 255;
    }
    context.putImageData(image, 0, 0);
    const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.92 });
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let binary = '';
    for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(binary);
  });
  return Buffer.from(base64, 'base64');
}

/** Durations of the app's own measures of this name, in order. */
async function measures(page: Page, name: string): Promise<number[]> {
  return page.evaluate((n) => performance.getEntriesByName(n).map((e) => e.duration), name);
}

/** One check from Today and back, navigating inside the app so the page's measures accumulate. */
async function runCheck(page: Page, photo: Buffer | null): Promise<void> {
  await page.getByRole('link', { name: 'Run another check' }).click();
  await page.getByLabel('Weekly unit cleaning checklist').check();
  await page.getByLabel('Unit', { exact: true }).selectOption({ label: 'A Wing' });
  await page.getByRole('button', { name: 'Start check' }).click();
  for (const question of [
    'Have walls, windows and ledges been cleaned this week?',
    'Has the servery had its weekly deep clean, including behind equipment?',
    'Are bins emptied and cleaned and drains clear?',
    'Are cleaning materials stocked and stored safely?',
  ]) {
    await page.getByRole('group', { name: question }).getByLabel('Pass', { exact: true }).check();
  }
  if (photo) {
    await page.getByLabel('Photos of the check (optional)', { exact: true }).setInputFiles({ name: 'IMG_0001.jpg', mimeType: 'image/jpeg', buffer: photo });
    await page.getByTestId('photo').first().waitFor();
  }
  await page.getByTestId('save-state').getByText('Saved on this device').waitFor();
  await page.getByRole('button', { name: 'Submit check' }).click();
  await page.getByTestId('sync-state').waitFor();
  await page.getByRole('link', { name: 'Back to Today' }).click();
}

const server = await startBenchServer();
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage({ baseURL: server.url });
  await page.goto('/');
  await page.getByLabel('Username').fill('so.demo');
  await page.getByLabel('Password').fill(BENCH_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('reference-refreshed').waitFor();

  const photo = await twelveMegapixelJpeg(page);
  for (let i = 0; i < PHOTOS; i += 1) await runCheck(page, photo);
  for (let i = 0; i < SUBMITS; i += 1) await runCheck(page, null);
  const photoTimes = await measures(page, 'wingcheck:photo');
  const submitTimes = await measures(page, 'wingcheck:submit');
  const withPhoto = submitTimes.slice(0, PHOTOS);
  const without = submitTimes.slice(PHOTOS);
  console.log(`photo processing, 12 MP JPEG of ${(photo.length / 1024 / 1024).toFixed(1)} MB: median ${median(photoTimes).toFixed(0)} ms over ${photoTimes.length} (min ${Math.min(...photoTimes).toFixed(0)}, max ${Math.max(...photoTimes).toFixed(0)})`);
  console.log(`tap submit to durable in IndexedDB: median ${median(without).toFixed(1)} ms over ${without.length} checks; with one 2048 px photo ${median(withPhoto).toFixed(1)} ms over ${withPhoto.length}`);
} finally {
  await browser.close();
  server.stop();
}
