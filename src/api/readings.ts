/**
 * What the review screens read, and fetching it ahead so the head of residence can review with no
 * signal: the plans, each plan's overview, coverage for the dashboard and this week, the timelines
 * of actions with recent evidence, and those evidence photos (the service worker keeps them).
 */
import { pathOf } from '../shared/api/endpoint.ts';
import { endpoints } from '../shared/api/endpoints.ts';
import { readingKey, readThrough, type Fallback } from './useReadable.ts';
import { actionDetailFromDevice } from '../data/action-list.ts';
import { getReading } from '../data/readings.ts';
import { type ActionDetail, PlanOverview } from '../shared/api/review.ts';
import { addDays, thisWeek, type Period } from '../shared/coverage.ts';
import { weekStart } from '../shared/dashboard.ts';
import { localDateOf } from '../shared/schedules.ts';
import { OFFLINE_PHOTO_DAYS, PHOTO_CACHE } from '../shared/sw-messages.ts';

/** The review screens' requests, as readThrough and useReadable take them (their address is the key kept). */
export const byId = (id: string) => ({ params: { id } });
export const actionById = (id: string) => ({ params: { id }, query: {} });
export const forPeriod = (period: Period) => ({ query: { from: period.from, to: period.to } });

/** The dashboard compares this week with the three before it. */
export function dashboardPeriod(today: string): Period {
  return { from: addDays(weekStart(today), -21), to: today };
}

/** Bounds on one refresh, so a large plan cannot fill a tablet: the most recent first. */
const MAX_ACTIONS = 100;
const MAX_PHOTOS = 300;

export interface ReviewRefresh {
  plans: number;
  actions: number;
  photos: number;
}

/** Fetches the review screens' data ahead; stops quietly at the first sign of no connection. */
export async function refreshReviewReadings(timeZone: string, now = new Date()): Promise<ReviewRefresh | null> {
  const plans = await readThrough('plans.list', {});
  if (plans.fromDevice) return null;
  const today = localDateOf(now, timeZone);
  const cutoff = new Date(now.getTime() - OFFLINE_PHOTO_DAYS * 86_400_000).toISOString();
  await readThrough('coverage', forPeriod(dashboardPeriod(today)));
  await readThrough('coverage', forPeriod(thisWeek(today)));
  const recent: { id: string; lastEvidenceAt: string }[] = [];
  for (const plan of plans.data) {
    const overview = await readThrough('plans.overview', byId(plan.id));
    for (const a of overview.data.actions) {
      if (a.lastEvidenceAt && a.lastEvidenceAt >= cutoff) recent.push({ id: a.id, lastEvidenceAt: a.lastEvidenceAt });
    }
  }
  recent.sort((a, b) => b.lastEvidenceAt.localeCompare(a.lastEvidenceAt));
  const photos = new Set<string>();
  const actions = recent.slice(0, MAX_ACTIONS);
  for (const action of actions) {
    const detail = await readThrough('actions.get', actionById(action.id));
    for (const e of detail.data.evidence) if (e.submittedAt >= cutoff) for (const p of e.photos) photos.add(p.sha256);
  }
  return { plans: plans.data.length, actions: actions.length, photos: await keepPhotos([...photos].slice(0, MAX_PHOTOS)) };
}

/**
 * Fetches photos through the service worker, which keeps them (and dates them, to age them out).
 * Until it controls the page there is nothing to keep them: the next refresh does it.
 */
async function keepPhotos(sha256s: readonly string[]): Promise<number> {
  if (!('serviceWorker' in navigator) || !navigator.serviceWorker.controller) return 0;
  const cache = await caches.open(PHOTO_CACHE);
  let kept = 0;
  for (const sha256 of sha256s) {
    const path = pathOf(endpoints['blobs.get'], { sha256 });
    if (await cache.match(path)) {
      kept += 1;
      continue;
    }
    const response = await fetch(path, { credentials: 'same-origin' });
    if (!response.ok) continue;
    await response.arrayBuffer();
    kept += 1;
  }
  return kept;
}

/**
 * An action's review page offline when it was never opened with a connection: its details from
 * the plan on the device, its evidence as far as this device synced it, and how that compares
 * with the evidence count in the overview the device kept.
 */
export function actionFromDevice(actionId: string, me: { id: string; displayName: string }): Fallback<ActionDetail> {
  return async () => {
    const data = await actionDetailFromDevice(actionId, me);
    if (!data) return null;
    const kept = await getReading(readingKey('plans.overview', byId(data.planId)));
    const overview = kept ? PlanOverview.safeParse(kept.data) : null;
    const counted = overview?.success ? overview.data.actions.find((a) => a.id === actionId)?.evidenceCount : undefined;
    const here = data.evidence.length;
    const evidence = counted === undefined || counted === here
      ? `Its evidence is what this device last synced (${here === 1 ? '1 piece' : `${here} pieces`}).`
      : `This device has ${here} of the ${counted} pieces of evidence the server had when the overview was kept.`;
    return { data, lacks: `${evidence} Photos not kept on this device cannot be shown. Accepting or returning evidence needs a connection.` };
  };
}
