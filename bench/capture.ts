/**
 * Capture on the device, in Chromium on the production build (run `npm run build` first):
 * - photo processing time per 12-megapixel camera JPEG (decode, shrink to 2048 px, encode, hash)
 *   in the photo worker, compared with the same photo through the app's own fallback on the page
 *   (what a browser without Worker/OffscreenCanvas gets), with the longest main-thread task during
 *   each: the worker exists to keep the page responsive, so that is compared too;
 * - time from tapping "Submit check" to the check, its photos' references and its outbox entry
 *   being committed to IndexedDB with strict durability.
 * Figures come from the app's own performance.measure entries (wingcheck:photo, wingcheck:submit).
 * Run: npm run bench:capture
 */
import { chromium, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/support/chromium.ts';
import { addPhoto, CHOOSE_A_CHECK, measureEntries, measures, PHOTO_MEASURE, runCheck, signIn, startCheck, SUBMIT_MEASURE, submitCheck, twelveMegapixelJpeg, type MeasureEntry } from './support/app-steps.ts';
import { median, report, speedRatio } from './support/report.ts';
import { startBenchServer } from './support/server.ts';

const PHOTOS = 5;
const SUBMITS = 10;

interface LongTask {
  startTime: number;
  duration: number;
}

type LongTaskWindow = typeof globalThis & { benchLongTasks?: LongTask[] };

/** Runs in the page before its scripts, on every load: keeps long tasks (over 50 ms) for afterwards. */
function recordLongTasks(): void {
  const store = globalThis as LongTaskWindow;
  store.benchLongTasks = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) store.benchLongTasks?.push({ startTime: entry.startTime, duration: entry.duration });
  }).observe({ type: 'longtask', buffered: true });
}

/** Runs in the page before its scripts: a browser without Worker, so the app prepares photos on the page. */
function withoutWorkers(): void {
  Object.defineProperty(globalThis, 'Worker', { value: undefined, configurable: true, writable: true });
}

/** For each measure, the longest main-thread task overlapping it (0: none over 50 ms). */
async function longestTaskDuring(page: Page, entries: readonly MeasureEntry[]): Promise<number[]> {
  const tasks = await page.evaluate(() => (globalThis as LongTaskWindow).benchLongTasks ?? []);
  const overlapping = (m: MeasureEntry) =>
    tasks.filter((t) => t.startTime < m.startTime + m.duration && t.startTime + t.duration > m.startTime);
  return entries.map((m) => Math.max(0, ...overlapping(m).map((t) => t.duration)));
}

const ms = (value: number) => `${value.toFixed(0)} ms`;

const server = await startBenchServer();
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage({ baseURL: server.url });
  await page.addInitScript(recordLongTasks);
  await page.goto('/');
  await signIn(page);

  const photo = await twelveMegapixelJpeg(page);
  for (let i = 0; i < PHOTOS; i += 1) await runCheck(page, photo);
  for (let i = 0; i < SUBMITS; i += 1) await runCheck(page, null);
  const workerPhotos = await measureEntries(page, PHOTO_MEASURE);
  const workerBlocks = await longestTaskDuring(page, workerPhotos);
  const submitTimes = await measures(page, SUBMIT_MEASURE);
  const withPhoto = submitTimes.slice(0, PHOTOS);
  const without = submitTimes.slice(PHOTOS);

  // The same photos on the page: reload (same session) as a browser without workers, and add them
  // all to one check, since only the processing is compared here.
  await page.addInitScript(withoutWorkers);
  await page.reload();
  await page.getByRole('link', { name: CHOOSE_A_CHECK }).waitFor();
  await startCheck(page);
  for (let i = 1; i <= PHOTOS; i += 1) await addPhoto(page, photo, i);
  const pagePhotos = await measureEntries(page, PHOTO_MEASURE);
  const pageBlocks = await longestTaskDuring(page, pagePhotos);
  const via = await page.evaluate(
    (name) => performance.getEntriesByName(name).map((e) => (e as PerformanceMeasure).detail as { via?: string } | null),
    PHOTO_MEASURE,
  );
  // Otherwise the comparison would be the worker against itself.
  if (via.some((d) => d?.via !== 'page')) throw new Error(`photos after disabling Worker went via ${JSON.stringify(via)}, not the page`);
  await submitCheck(page);

  const workerMs = median(workerPhotos.map((e) => e.duration));
  const pageMs = median(pagePhotos.map((e) => e.duration));
  const workerBlock = Math.max(...workerBlocks);
  const pageBlock = Math.max(...pageBlocks);
  const mb = (photo.length / 1024 / 1024).toFixed(1);
  report({
    rows: [
      {
        benchmark: `photo processing: 12 MP camera JPEG of ${mb} MB to a 2048 px JPEG with its SHA-256, median of ${String(PHOTOS)}`,
        figure: `in the photo worker: ${ms(workerMs)}; longest main-thread task ${ms(workerBlock)}`,
        comparison: `same photo on the page (the app's fallback without Worker): ${ms(pageMs)}; longest main-thread task ${ms(pageBlock)}`,
        ratio: `${speedRatio(workerMs, pageMs)}; main thread blocked at most ${ms(workerBlock)} vs ${ms(pageBlock)}`,
      },
      {
        benchmark: 'tap "Submit check" to durable in IndexedDB (check, photo references and outbox entry, strict durability)',
        figure: `${median(without).toFixed(1)} ms median of ${String(without.length)} checks; ${median(withPhoto).toFixed(1)} ms with one 2048 px photo (median of ${String(withPhoto.length)})`,
        comparison: '—',
        ratio: '—',
      },
    ],
  });
} finally {
  await browser.close();
  server.stop();
}
