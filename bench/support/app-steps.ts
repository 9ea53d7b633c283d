// Steps through the Wingcheck app in Chromium, shared by the browser benchmarks (capture, device).
import type { Page } from '@playwright/test';
import { BENCH_PASSWORD } from './server.ts';

/** The app's performance.measure names (src/photos/process.ts, src/features/capture/CheckPage.tsx). */
export const PHOTO_MEASURE = 'wingcheck:photo';
export const SUBMIT_MEASURE = 'wingcheck:submit';

const WEEKLY_CLEANING = [
  'Have walls, windows and ledges been cleaned this week?',
  'Has the servery had its weekly deep clean, including behind equipment?',
  'Are bins emptied and cleaned and drains clear?',
  'Are cleaning materials stocked and stored safely?',
];

/** Signs in as the demo supervising officer from the sign-in screen, and waits for the checks and actions. */
export async function signIn(page: Page): Promise<void> {
  await page.getByLabel('Username').fill('so.demo');
  await page.getByLabel('Password').fill(BENCH_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('reference-refreshed').waitFor();
}

/** A 4000×3000 JPEG with camera-like detail (noise compresses as badly as a real scene). */
export async function twelveMegapixelJpeg(page: Page): Promise<Buffer> {
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

/** A measure as the app recorded it: when it started (page clock) and how long it took. */
export interface MeasureEntry {
  startTime: number;
  duration: number;
}

/** The app's own measures of this name, in order. */
export async function measureEntries(page: Page, name: string): Promise<MeasureEntry[]> {
  return page.evaluate(
    (n) => performance.getEntriesByName(n).map((e) => ({ startTime: e.startTime, duration: e.duration })),
    name,
  );
}

/** Durations of the app's own measures of this name, in order. */
export async function measures(page: Page, name: string): Promise<number[]> {
  return (await measureEntries(page, name)).map((e) => e.duration);
}

/** Today's link to any check on any unit: there once the checks and actions are on the device. */
export const CHOOSE_A_CHECK = 'Choose a check and unit';

/** Starts the weekly cleaning checklist on A Wing from Today and answers every question Pass. */
export async function startCheck(page: Page): Promise<void> {
  await page.getByRole('link', { name: CHOOSE_A_CHECK }).click();
  await page.getByLabel('Weekly unit cleaning checklist').check();
  await page.getByLabel('Unit', { exact: true }).selectOption({ label: 'A Wing' });
  await page.getByRole('button', { name: 'Start check' }).click();
  for (const question of WEEKLY_CLEANING) {
    await page.getByRole('group', { name: question }).getByLabel('Pass', { exact: true }).check();
  }
}

/** Adds a photo to the open check and waits until it is processed and shown (the nth photo, from 1). */
export async function addPhoto(page: Page, photo: Buffer, nth = 1): Promise<void> {
  await page.getByLabel('Photos of the check (optional)', { exact: true }).setInputFiles({ name: `IMG_${String(nth).padStart(4, '0')}.jpg`, mimeType: 'image/jpeg', buffer: photo });
  await page.getByTestId('photo').nth(nth - 1).waitFor();
}

/**
 * Submits the open check once it is saved, and returns to Today. The tap is a plain mouse click and
 * the wait one call that settles on the app's own submit measure: Playwright's click and waitFor run
 * their checks as script in the page, and on a throttled page that script would be timed as the app's.
 */
export async function submitCheck(page: Page): Promise<void> {
  await page.getByTestId('save-state').getByText('Saved on this device').waitFor();
  const button = page.getByRole('button', { name: 'Submit check' });
  await button.scrollIntoViewIfNeeded();
  const box = await button.boundingBox();
  if (!box) throw new Error('the Submit check button is not on the screen');
  await page.evaluate((name) => {
    const before = performance.getEntriesByName(name).length;
    (window as WithSubmitted).benchSubmitted = new Promise<void>((resolve, reject) => {
      const observer = new PerformanceObserver(() => {
        if (performance.getEntriesByName(name).length === before) return;
        observer.disconnect();
        resolve();
      });
      observer.observe({ type: 'measure' });
      setTimeout(() => {
        reject(new Error('the app recorded no submit measure within 30 s'));
      }, 30_000);
    });
  }, SUBMIT_MEASURE);
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await page.evaluate(() => (window as WithSubmitted).benchSubmitted);
  await page.getByTestId('sync-state').waitFor();
  await page.getByRole('link', { name: 'Back to Today' }).click();
}

/** The page's global the submit wait is kept in between the two calls. */
type WithSubmitted = Window & { benchSubmitted?: Promise<void> };

/** One check from Today and back, navigating inside the app so the page's measures accumulate. */
export async function runCheck(page: Page, photo: Buffer | null): Promise<void> {
  await startCheck(page);
  if (photo) await addPhoto(page, photo);
  await submitCheck(page);
}
