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
