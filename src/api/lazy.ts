/**
 * Work the first screen starts but does not need to draw: the sync engine, and refreshing the
 * session and reference data. They parse server answers with the shared zod schemas, so they load
 * after the first screen and keep zod out of the first bundle (the service worker has them cached,
 * so this works offline too).
 */
import type { SyncOutcome } from '../sync/run.ts';

export async function syncNow(): Promise<SyncOutcome | 'busy'> {
  return (await import('../data/sync-store.ts')).syncNow();
}

export async function refreshReference(): Promise<void> {
  await (await import('./reference.ts')).refreshReference();
}

export async function refreshSession(): Promise<void> {
  await (await import('./session.ts')).refreshSession();
}

/** How often the review screens' data is fetched ahead while online. */
const REVIEW_REFRESH_MS = 15 * 60 * 1000;
let lastReviewRefresh = { at: 0, establishmentId: '' };

/** For the head of residence: fetches the review screens' data ahead, for reading offline. */
export async function refreshReviewReadings(establishmentId: string, timeZone: string): Promise<void> {
  if (establishmentId === lastReviewRefresh.establishmentId && Date.now() - lastReviewRefresh.at < REVIEW_REFRESH_MS) return;
  lastReviewRefresh = { at: Date.now(), establishmentId };
  await (await import('./readings.ts')).refreshReviewReadings(timeZone);
}
