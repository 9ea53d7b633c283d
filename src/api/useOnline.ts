import { useEffect, useState } from 'preact/hooks';

/**
 * Whether the server can be reached: the browser must think there is a network, and the server
 * must have answered the last time it was asked. The browser alone is not enough: a tablet on a
 * wing's Wi-Fi with no route out, or a page reloaded with no network (Chromium may say online
 * until something fails), would show "Online" while nothing can be sent. One probe is shared by
 * every screen; while the server is out of reach it is asked again every few seconds, so the
 * state comes back by itself.
 */
let reachable = true;
let probing: Promise<void> | null = null;
let retry: ReturnType<typeof setTimeout> | undefined;
const listeners = new Set<() => void>();
const RETRY_MS = 10_000;
/** The first probe waits for the first screen's own requests: they matter more on a cheap tablet. */
const FIRST_PROBE_MS = 2_000;

function probe(): Promise<void> {
  probing ??= (async () => {
    let answered = false;
    if (navigator.onLine) {
      try {
        // Any answer, even an error page, means the server is there; no answer means it is not.
        await fetch('/api/health', { cache: 'no-store', signal: AbortSignal.timeout(8000) });
        answered = true;
      } catch {
        answered = false;
      }
    }
    clearTimeout(retry);
    if (!answered && navigator.onLine) retry = setTimeout(() => void probe(), RETRY_MS);
    if (answered !== reachable) {
      reachable = answered;
      for (const listener of listeners) listener();
    }
  })().finally(() => {
    probing = null;
  });
  return probing;
}

export function useOnline(): boolean {
  const [, rerender] = useState(0);
  useEffect(() => {
    const update = () => {
      rerender((n) => n + 1);
    };
    const recheck = () => {
      update();
      void probe();
    };
    listeners.add(update);
    window.addEventListener('online', recheck);
    window.addEventListener('offline', update);
    const first = listeners.size === 1 ? setTimeout(() => void probe(), FIRST_PROBE_MS) : undefined;
    return () => {
      clearTimeout(first);
      listeners.delete(update);
      window.removeEventListener('online', recheck);
      window.removeEventListener('offline', update);
    };
  }, []);
  return navigator.onLine && reachable;
}
