import { useEffect, useState } from 'preact/hooks';
import type { Workbox } from 'workbox-window';

/** Checks for a new release this often while the app stays open (a tablet may stay open all shift). */
const UPDATE_CHECK_INTERVAL_MS = 60 * 60 * 1000;

type Listener = (apply: (() => void) | null) => void;
let applyUpdate: (() => void) | null = null;
let workbox: Workbox | null = null;
const listeners = new Set<Listener>();

function announce(apply: (() => void) | null): void {
  applyUpdate = apply;
  for (const listener of listeners) listener(apply);
}

/**
 * Registers the service worker through workbox-window. A new version installs in the background
 * and then waits; nothing reloads until the person chooses to apply it (useUpdateAvailable).
 * workbox-window loads after the first screen is drawn: registering can wait, the screen cannot.
 */
export async function registerServiceWorker(): Promise<void> {
  if (!('serviceWorker' in navigator) || !import.meta.env.PROD) return;
  const { Workbox } = await import('workbox-window');
  const wb = new Workbox('/sw.js', { scope: '/' });
  workbox = wb;
  wb.addEventListener('waiting', () => {
    announce(() => {
      // Reload once the new version controls the page, so page and worker agree on the code.
      // (Listening here, not earlier: the first install also changes controller, and must not reload.)
      navigator.serviceWorker.addEventListener('controllerchange', () => {
        window.location.reload();
      }, { once: true });
      wb.messageSkipWaiting();
    });
  });
  wb.register().then(
    () => {
      const check = () => {
        wb.update().catch(() => undefined); // offline: try again next time
      };
      setInterval(check, UPDATE_CHECK_INTERVAL_MS);
      document.addEventListener('visibilitychange', () => {
        if (document.visibilityState === 'visible') check();
      });
    },
    (error: unknown) => {
      console.error('service worker registration failed', error);
    },
  );
}

/** Looks for a new version now (the server said this one is too old to sync). */
export function checkForUpdate(): void {
  workbox?.update().catch(() => undefined);
}

/** null, or the function that applies the waiting version (and reloads). */
export function useUpdateAvailable(): (() => void) | null {
  const [apply, setApply] = useState(() => applyUpdate);
  useEffect(() => {
    const listener: Listener = (next) => {
      setApply(() => next);
    };
    listeners.add(listener);
    listener(applyUpdate);
    return () => {
      listeners.delete(listener);
    };
  }, []);
  return apply;
}
