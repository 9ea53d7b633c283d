/// <reference lib="webworker" />
/**
 * The service worker: keeps the app itself available offline, and sends queued evidence when the
 * browser says the connection is back (Background Sync), even with every tab closed. It stays
 * small on purpose: the sync itself is src/sync's engine over src/data's store, as in the page.
 */
import '../src/shared/zod-csp.ts';
import { CacheableResponsePlugin } from 'workbox-cacheable-response';
import { clientsClaim } from 'workbox-core';
import { ExpirationPlugin } from 'workbox-expiration';
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { CacheFirst } from 'workbox-strategies';
import { syncNow } from '../src/data/sync-store.ts';
import { BACKGROUND_SYNC_TAG, isSkipWaitingMessage, OFFLINE_PHOTO_DAYS, PHOTO_CACHE } from '../src/shared/sw-messages.ts';

declare const self: ServiceWorkerGlobalScope;

// The build replaces self.__WB_MANIFEST with the list of built files and their revisions.
precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

// Every page navigation gets the cached app shell, online or not: the app routes in the page.
// /api is not answered from a cache (a stale answer would hide that the server is away; the review
// screens keep their own copies, dated), with one exception below.
registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html'), { denylist: [/^\/api(\/|$)/] }));

// Photos are named by their SHA-256, so a kept copy can never be stale: served from the cache
// when there, so evidence photos show on the review screens with no signal. Bounded by age and
// count so they cannot fill a tablet; signing out deletes the cache.
registerRoute(
  ({ url, request }) => url.origin === self.location.origin && url.pathname.startsWith('/api/blobs/') && request.method === 'GET',
  new CacheFirst({
    cacheName: PHOTO_CACHE,
    plugins: [
      new CacheableResponsePlugin({ statuses: [200] }),
      new ExpirationPlugin({ maxAgeSeconds: OFFLINE_PHOTO_DAYS * 24 * 60 * 60, maxEntries: 500, purgeOnQuotaError: true }),
    ],
  }),
);

// A new version waits until the page asks for it (the person chose "Update now").
self.addEventListener('message', (event) => {
  if (isSkipWaitingMessage(event.data)) void self.skipWaiting();
});

// On first install there is no old version to protect, so take control of the open page at once
// and it works offline without a reload. Later versions only activate after skipWaiting above.
clientsClaim();

interface SyncEvent extends ExtendableEvent {
  readonly tag: string;
}

// Background Sync (Chromium): the page registered this tag when it queued work. Rejecting asks
// the browser to try again later, with its own backoff; 'busy' means a page is syncing already.
self.addEventListener('sync', (event) => {
  const sync = event as SyncEvent;
  if (sync.tag !== BACKGROUND_SYNC_TAG) return;
  sync.waitUntil(
    syncNow().then((outcome) => {
      if (outcome !== 'busy' && outcome.kind === 'retry-later') throw new Error(outcome.reason);
    }),
  );
});

/** What the server's Web Push carries (server/src/services/push.ts). */
interface ReminderPush {
  title?: unknown;
  body?: unknown;
  url?: unknown;
  tag?: unknown;
}

// A reminder from the server (checks overdue, a unit's daily check missed two days running): shown
// even with every tab closed. A push must show a notification, so a malformed one still shows one.
self.addEventListener('push', (event) => {
  let push: ReminderPush;
  try {
    push = (event.data?.json() ?? {}) as ReminderPush;
  } catch {
    push = {};
  }
  const text = (value: unknown, fallback: string) => (typeof value === 'string' && value !== '' ? value : fallback);
  const url = text(push.url, '/');
  event.waitUntil(self.registration.showNotification(text(push.title, 'Wingcheck'), {
    body: text(push.body, 'Checks are waiting for you.'),
    tag: text(push.tag, 'wingcheck-reminder'),
    // Only the app's own pages: a push never opens another site.
    data: { url: url.startsWith('/') && !url.startsWith('//') ? url : '/' },
  }));
});

// Tapping a reminder opens the app (an open tab if there is one) where the reminder points.
self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const data = event.notification.data as { url?: unknown } | null;
  const url = typeof data?.url === 'string' ? data.url : '/';
  event.waitUntil((async () => {
    const open = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
    const tab = open[0];
    if (tab) {
      await tab.focus();
      await tab.navigate(url).catch(() => undefined);
      return;
    }
    await self.clients.openWindow(url);
  })());
});
