import { useEffect, useRef, useState } from 'preact/hooks';
import { BACKGROUND_SYNC_TAG, SYNC_CHANNEL } from '../shared/sw-messages.ts';
import { backoffDelay } from '../sync/engine.ts';
import type { SyncProgress } from '../sync/run.ts';
import type { SyncMessage } from '../sync/runner.ts';
import { refreshReference, syncNow } from './lazy.ts';

/** Asks the service worker to sync when the connection returns, even if the page is closed by then (Chromium). */
async function requestBackgroundSync(): Promise<void> {
  if (!('serviceWorker' in navigator)) return;
  type WithSync = ServiceWorkerRegistration & { sync?: { register(tag: string): Promise<void> } };
  const registration = (await navigator.serviceWorker.ready) as WithSync;
  await registration.sync?.register(BACKGROUND_SYNC_TAG);
}

/**
 * Runs sync whenever it might succeed: on start, when the connection returns, when the page is
 * shown again, when new work is queued, and after a failure on a backoff timer with jitter.
 */
export function useSyncTriggers(waiting: number | undefined, paused: boolean, establishmentId: string): void {
  const attempt = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const trigger = useRef<() => void>(() => undefined);
  trigger.current = () => {
    clearTimeout(timer.current);
    if (!navigator.onLine) return;
    syncNow().then(
      (outcome) => {
        if (outcome === 'busy') return;
        if (outcome.kind === 'retry-later') {
          attempt.current += 1;
          timer.current = setTimeout(() => {
            trigger.current();
          }, backoffDelay(attempt.current));
          return;
        }
        attempt.current = 0;
        if (outcome.kind === 'done' && outcome.referenceChanged) void refreshReference();
      },
      (error: unknown) => {
        console.error('sync failed', error);
      },
    );
  };

  useEffect(() => {
    const run = () => {
      trigger.current();
    };
    const onVisible = () => {
      if (document.visibilityState === 'visible') run();
    };
    run();
    addEventListener('online', run);
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      clearTimeout(timer.current);
      removeEventListener('online', run);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, []);

  // Signed in again after the session ended, or now working in another establishment: send what waited meanwhile.
  useEffect(() => {
    if (!paused) trigger.current();
  }, [paused, establishmentId]);

  // New work queued: send it now if possible, and have the service worker send it otherwise.
  const previous = useRef(waiting);
  useEffect(() => {
    if (waiting !== undefined && waiting > (previous.current ?? 0)) {
      attempt.current = 0;
      trigger.current();
      requestBackgroundSync().catch((error: unknown) => {
        console.warn('background sync is not available', error);
      });
    }
    previous.current = waiting;
  }, [waiting]);
}

/** The sync under way, in this tab, another tab or the service worker; null when none is. */
export function useSyncProgress(): SyncProgress | null {
  const [progress, setProgress] = useState<SyncProgress | null>(null);
  useEffect(() => {
    if (typeof BroadcastChannel === 'undefined') return;
    const channel = new BroadcastChannel(SYNC_CHANNEL);
    channel.onmessage = (event: MessageEvent<SyncMessage>) => {
      setProgress(event.data.type === 'progress' ? event.data.progress : null);
    };
    return () => {
      channel.close();
    };
  }, []);
  return progress;
}
