/// <reference lib="webworker" />
/**
 * The service worker: keeps the app itself available offline. It stays small on purpose; what it
 * will do for sync lives in src/sync and src/shared, shared with the page.
 */
import { clientsClaim } from 'workbox-core';
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { isSkipWaitingMessage } from '../src/shared/sw-messages.ts';

declare const self: ServiceWorkerGlobalScope;

// The build replaces self.__WB_MANIFEST with the list of built files and their revisions.
precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

// Every page navigation gets the cached app shell, online or not: the app routes in the page.
// /api is never answered from a cache: a stale answer there would hide that the server is away.
registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html'), { denylist: [/^\/api(\/|$)/] }));

// A new version waits until the page asks for it (the person chose "Update now").
self.addEventListener('message', (event) => {
  if (isSkipWaitingMessage(event.data)) void self.skipWaiting();
});

// On first install there is no old version to protect, so take control of the open page at once
// and it works offline without a reload. Later versions only activate after skipWaiting above.
clientsClaim();
