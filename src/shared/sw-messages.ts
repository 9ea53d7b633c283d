/** Messages between the page and the service worker. */

/** workbox-window's messageSkipWaiting() posts exactly this. */
export interface SkipWaitingMessage {
  type: 'SKIP_WAITING';
}

export function isSkipWaitingMessage(data: unknown): data is SkipWaitingMessage {
  return typeof data === 'object' && data !== null && (data as { type?: unknown }).type === 'SKIP_WAITING';
}

/**
 * The service worker's cache of photos fetched from the server (content-addressed, so a cached
 * copy is never stale), kept for the review screens offline. Signing out deletes it.
 */
export const PHOTO_CACHE = 'wingcheck-photos';
/** Photos of evidence this recent are fetched ahead for reading offline; older ones age out. */
export const OFFLINE_PHOTO_DAYS = 14;

/*
 * Names the page, other tabs and the service worker must agree on. Each is its own constant, so
 * one can change without the others; their values stay as released, since a service worker of the
 * last version may still be running beside a page of this one.
 */
/** The BroadcastChannel on which sync tells every open page its progress and result. */
export const SYNC_CHANNEL = 'wingcheck-sync';
/** The Web Lock held while syncing or swapping establishments, so only one happens at once on the origin. */
export const SYNC_LOCK = 'wingcheck-sync';
/** The Background Sync tag the page registers and the service worker answers (Chromium). */
export const BACKGROUND_SYNC_TAG = 'wingcheck-sync';
