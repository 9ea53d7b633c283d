/**
 * Wingcheck on a cheap tablet, stood in for by Chromium with DevTools CPU throttling at 4×, against
 * a real server on the production build (run `npm run build` first). Each figure is beside the same
 * measured unthrottled in the same run, runs alternating between the two:
 * - first-ever load: a fresh profile (no cache, no service worker) until the sign-in form is interactive;
 * - cold start offline, the on-wing case: the app signed in and its service worker installed, every
 *   page closed and the service worker stopped (as after the tablet slept), the network off, then
 *   the app opened until Today is interactive;
 * - tap "Submit check" to durable in IndexedDB, from the app's own wingcheck:submit measure;
 * - PWA checks from Chromium itself (Lighthouse 12 dropped its PWA category): the manifest parses
 *   with what installing needs, Chromium reports no installability errors, the app starts offline
 *   under a controlling service worker. Any failure fails the benchmark.
 * "Interactive" is measured in the page: the link or button is in the DOM, the frame showing it has
 * been painted and the main thread has come back to its task queue, so a tap would be handled.
 * The server is on localhost, so the network adds nothing: these figures are the device's CPU.
 * Chromium throttles only the page's main thread; the service worker and photo worker run at full
 * speed, so the service worker's own start-up is not slowed here.
 * Run: npm run bench:device
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type CDPSession, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/support/chromium.ts';
import { CHOOSE_A_CHECK, measures, runCheck, signIn, SUBMIT_MEASURE } from './support/app-steps.ts';
import { median, report, type BenchRow } from './support/report.ts';
import { startBenchServer } from './support/server.ts';

/** DevTools CPU throttling rate standing in for a cheap tablet. */
const TABLET = 4;
const UNTHROTTLED = 1;
const RUNS = 5;
/** Submits per rate: each is a few seconds, and a tap is short enough that a 5-sample median swings by ±5 ms here. */
const SUBMITS = 15;

/** What marks a screen as ready to use: an element of this tag with exactly this text, not disabled. */
interface ReadyTarget {
  tag: string;
  text: string;
}
const SIGN_IN_FORM: ReadyTarget = { tag: 'button', text: 'Sign in' };
const TODAY: ReadyTarget = { tag: 'a', text: CHOOSE_A_CHECK };

interface Ready {
  /** When the element appeared in the DOM, ms after navigation start. */
  shownAt: number;
  /** When the frame showing it had been painted and the main thread was free again. */
  readyAt: number;
}
type BenchWindow = typeof globalThis & { benchReady?: Ready };

/** One start of the app, ms after navigation start. */
interface Start extends Ready {
  /** Largest contentful paint so far, if Chromium reported one. */
  lcp: number | null;
  /** Service worker start-up before it could answer (0 when none, or already running). */
  workerBoot: number;
  /** The HTML fully received (from the service worker's cache, offline). */
  htmlAt: number;
  /** DOMContentLoaded done: the app's module scripts have run. */
  scriptsAt: number;
  /** Where the HTML came from: 'cache-storage' when the service worker served it. */
  deliveryType: string;
  /** navigator.serviceWorker.controller was set. */
  controlled: boolean;
}

/** Runs in the page before its scripts, on every load: records when `target` is ready (see Ready). */
function watchForReady(target: ReadyTarget): void {
  const store = globalThis as BenchWindow;
  const observer = new MutationObserver(() => {
    const present = Array.from(document.getElementsByTagName(target.tag)).some(
      (element) => element.textContent.trim() === target.text && !element.hasAttribute('disabled'),
    );
    if (!present) return;
    observer.disconnect();
    const shownAt = performance.now();
    requestAnimationFrame(() => {
      setTimeout(() => {
        store.benchReady = { shownAt, readyAt: performance.now() };
      }, 0);
    });
  });
  observer.observe(document, { childList: true, subtree: true });
}

/** A CDP session on the page with its CPU slowed `rate` times (1: full speed). */
async function throttled(page: Page, rate: number): Promise<CDPSession> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate });
  return cdp;
}

/** Opens the app in `page` and waits until `target` is ready; the timings come from the page's own clock. */
async function openApp(page: Page, target: ReadyTarget): Promise<Start> {
  await page.addInitScript(watchForReady, target);
  await page.goto('/');
  await page.waitForFunction(() => (globalThis as BenchWindow).benchReady !== undefined, undefined, { timeout: 60_000 });
  return page.evaluate(async () => {
    const ready = (globalThis as BenchWindow).benchReady;
    // deliveryType is Chromium's (Resource Timing level 3), not yet in TypeScript's DOM types.
    const navigation = performance.getEntriesByType('navigation')[0] as (PerformanceNavigationTiming & { deliveryType: string }) | undefined;
    if (!ready || !navigation) throw new Error('no timings in the page');
    const lcp = await new Promise<number | null>((resolve) => {
      new PerformanceObserver((list) => {
        resolve(list.getEntries().at(-1)?.startTime ?? null);
      }).observe({ type: 'largest-contentful-paint', buffered: true });
      setTimeout(() => {
        resolve(null);
      }, 1000);
    });
    return {
      ...ready,
      lcp,
      workerBoot: navigation.workerStart > 0 ? navigation.fetchStart - navigation.workerStart : 0,
      htmlAt: navigation.responseEnd,
      scriptsAt: navigation.domContentLoadedEventEnd,
      deliveryType: navigation.deliveryType,
      controlled: navigator.serviceWorker.controller !== null,
    };
  });
}

/** Stops the context's service workers and waits until they have stopped, so the next start is cold. */
async function stopServiceWorkers(cdp: CDPSession): Promise<void> {
  const stopped = new Promise<void>((resolve) => {
    cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
      if (versions.every((v) => v.runningStatus === 'stopped')) resolve();
    });
  });
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  await Promise.race([stopped, new Promise((resolve) => setTimeout(resolve, 3000))]);
  await cdp.send('ServiceWorker.disable');
}

/** Throttled and unthrottled, alternating which goes first so drift in the machine's load evens out. */
async function bothRates(run: (rate: number) => Promise<void>, runs = RUNS): Promise<void> {
  for (let i = 0; i < runs; i += 1) {
    for (const rate of i % 2 ? [UNTHROTTLED, TABLET] : [TABLET, UNTHROTTLED]) await run(rate);
  }
}

const ms = (value: number) => `${Math.round(value).toLocaleString('en-GB')} ms`;

/** "3.2× slower on a cheap tablet", from the throttled and unthrottled times. */
function slowdown(tablet: number, full: number): string {
  if (tablet >= full) return `${(tablet / full).toFixed(1)}× slower on a cheap tablet`;
  return `${(full / tablet).toFixed(1)}× faster on a cheap tablet (noise)`;
}

const by = (starts: Map<number, Start[]>, rate: number, pick: (s: Start) => number) => median((starts.get(rate) ?? []).map(pick));

function startRow(benchmark: string, starts: Map<number, Start[]>): BenchRow {
  const figure = (rate: number) => {
    const lcps = (starts.get(rate) ?? []).flatMap((s) => (s.lcp === null ? [] : [s.lcp]));
    return `${ms(by(starts, rate, (s) => s.readyAt))} to interactive${lcps.length ? ` (LCP ${ms(median(lcps))})` : ''}`;
  };
  return {
    benchmark,
    figure: `${String(TABLET)}× CPU: ${figure(TABLET)}`,
    comparison: `unthrottled: ${figure(UNTHROTTLED)}`,
    ratio: slowdown(by(starts, TABLET, (s) => s.readyAt), by(starts, UNTHROTTLED, (s) => s.readyAt)),
  };
}

function record(starts: Map<number, Start[]>, rate: number, start: Start): void {
  starts.set(rate, [...(starts.get(rate) ?? []), start]);
}

const benchStarted = Date.now();
const [server, browser] = await Promise.all([
  startBenchServer(),
  chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS }),
]);
const profile = mkdtempSync(path.join(tmpdir(), 'wingcheck-bench-tablet-'));
let tablet: BrowserContext | undefined;
try {
  // First-ever load: a new, empty context each time.
  const firstLoads = new Map<number, Start[]>();
  await bothRates(async (rate) => {
    const context = await browser.newContext({ baseURL: server.url });
    try {
      const page = await context.newPage();
      await throttled(page, rate);
      record(firstLoads, rate, await openApp(page, SIGN_IN_FORM));
    } finally {
      await context.close();
    }
  });
  await browser.close();

  // The tablet: a real profile on disk, since Chromium will not call an incognito app installable.
  tablet = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    baseURL: server.url,
  });
  const app = await tablet.newPage();
  const appCdp = await throttled(app, UNTHROTTLED);
  await app.goto('/');
  await signIn(app);
  await app.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 60_000 });

  const { errors: manifestErrors, manifest } = await appCdp.send('Page.getAppManifest');
  const { installabilityErrors } = await appCdp.send('Page.getInstallabilityErrors');
  const needed = { name: manifest.name, icons: manifest.icons?.length, start_url: manifest.startUrl, display: manifest.display };
  const missing = Object.entries(needed)
    .filter(([, value]) => !value)
    .map(([field]) => field);
  if (installabilityErrors.length || manifestErrors.length || missing.length) {
    throw new Error(
      `Wingcheck is not installable: ${JSON.stringify({ installabilityErrors, manifestErrors, missingFromManifest: missing })}`,
    );
  }

  // Submits, navigating inside the app as staff do; the throttling changes between checks.
  const submits = new Map<number, number[]>();
  await bothRates(async (rate) => {
    await appCdp.send('Emulation.setCPUThrottlingRate', { rate });
    await runCheck(app, null);
    const last = (await measures(app, SUBMIT_MEASURE)).at(-1);
    if (last === undefined) throw new Error('the app recorded no submit measure');
    submits.set(rate, [...(submits.get(rate) ?? []), last]);
  }, SUBMITS);

  // Cold starts offline: the app closed, its service worker stopped, no network; Today lists the
  // checks just submitted, as mid-shift.
  await tablet.setOffline(true); // while a page is open: with none, Playwright's setOffline can hang
  await app.close();
  const offline = new Map<number, Start[]>();
  await bothRates(async (rate) => {
    const page = await tablet?.newPage();
    if (!page) throw new Error('the tablet context has gone');
    try {
      const cdp = await throttled(page, rate);
      await stopServiceWorkers(cdp);
      record(offline, rate, await openApp(page, TODAY));
    } finally {
      await page.close();
    }
  });
  const offlineStarts = [...offline.values()].flat();
  const startsOffline = offlineStarts.every((s) => s.deliveryType === 'cache-storage');
  const controlled = offlineStarts.every((s) => s.controlled);
  if (!startsOffline || !controlled) {
    throw new Error(`offline starts not served by a controlling service worker: ${JSON.stringify(offlineStarts)}`);
  }

  const submitMs = (rate: number) => median(submits.get(rate) ?? []);
  const phase = (rate: number, pick: (s: Start) => number) => ms(by(offline, rate, pick));
  const breakdown = (rate: number) =>
    [
      `service worker start-up ${phase(rate, (s) => s.workerBoot)}`,
      `HTML from its cache by ${phase(rate, (s) => s.htmlAt)}`,
      `app scripts run (DOMContentLoaded) by ${phase(rate, (s) => s.scriptsAt)}`,
      `Today shown ${phase(rate, (s) => s.shownAt)} and interactive ${phase(rate, (s) => s.readyAt)}`,
    ].join(', ');
  report({
    rows: [
      startRow(
        `cold start offline to Today, served by the service worker (signed in; app closed, service worker stopped), median of ${String(RUNS)}`,
        offline,
      ),
      startRow(`first-ever load to the sign-in form (fresh profile: no cache, no service worker), median of ${String(RUNS)}`, firstLoads),
      {
        benchmark: `tap "Submit check" to durable in IndexedDB, median of ${String(SUBMITS)}`,
        figure: `${String(TABLET)}× CPU: ${submitMs(TABLET).toFixed(1)} ms`,
        comparison: `unthrottled: ${submitMs(UNTHROTTLED).toFixed(1)} ms`,
        ratio: slowdown(submitMs(TABLET), submitMs(UNTHROTTLED)),
      },
      {
        benchmark: 'PWA checks by Chromium (Page.getAppManifest, Page.getInstallabilityErrors, offline start)',
        figure: `installable: yes, ${String(manifestErrors.length)} manifest errors, works offline: yes, service worker controls the page: yes`,
        comparison: '—',
        ratio: '—',
      },
    ],
    notes: [
      [
        `Device cold start offline, medians. At ${String(TABLET)}× CPU: ${breakdown(TABLET)}.`,
        `Unthrottled: ${breakdown(UNTHROTTLED)}.`,
        'Chromium throttles only the page’s main thread, not the service worker.',
      ].join(' '),
    ],
  });
  console.log(`\n(bench/device.ts took ${((Date.now() - benchStarted) / 1000).toFixed(0)} s)`);
} finally {
  await tablet?.close();
  if (browser.isConnected()) await browser.close();
  server.stop();
  rmSync(profile, { recursive: true, force: true });
}
