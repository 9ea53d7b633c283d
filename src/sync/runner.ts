/**
 * Runs one sync at a time on the origin: under a Web Lock, so the page, other tabs and the
 * service worker never sync at once; with progress and the result told to every open page. Its
 * store, transport, channel and session are passed in, so the same runner works in the page, in
 * the service worker and in tests.
 */
import { runSync, type SyncOutcome, type SyncProgress, type SyncStore, type SyncTransport } from './run.ts';

/** What sync tells every open page (over SYNC_CHANNEL). */
export type SyncMessage = { type: 'progress'; progress: SyncProgress } | { type: 'finished'; outcome: SyncOutcome; at: string };

/** The Web Locks API, as much of it as the runner needs (absent in old browsers: then no lock). */
export interface SyncLocks {
  request<T>(name: string, options: { ifAvailable: true }, callback: (lock: unknown) => Promise<T> | T): Promise<T>;
}

export interface SyncRunnerDeps {
  store: SyncStore;
  transport: SyncTransport;
  /** Tells every open page; dropped where there is no channel. */
  post: (message: SyncMessage) => void;
  /** Whether someone is signed in with a live session: nothing is sent without one. */
  signedIn: () => Promise<boolean>;
  /** The server said the session ended: keep the work, ask for sign-in. */
  sessionEnded: () => Promise<void>;
  /** Keeps what the sync came to, for every page and the next start to say. */
  record: (at: string, outcome: SyncOutcome) => Promise<void>;
  locks: SyncLocks | undefined;
  lockName: string;
  now?: () => Date;
}

export function createSyncRunner(deps: SyncRunnerDeps) {
  const now = deps.now ?? (() => new Date());
  let runningHere: Promise<SyncOutcome | 'busy'> | null = null;

  async function syncOnce(onProgress?: (p: SyncProgress) => void): Promise<SyncOutcome> {
    if (!(await deps.signedIn())) return { kind: 'signed-out' };
    const outcome = await runSync(deps.store, deps.transport, (progress) => {
      onProgress?.(progress);
      deps.post({ type: 'progress', progress });
    });
    const at = now().toISOString();
    if (outcome.kind === 'signed-out') await deps.sessionEnded();
    await deps.record(at, outcome);
    deps.post({ type: 'finished', outcome, at });
    return outcome;
  }

  /**
   * Syncs now unless a sync is already running anywhere on this origin ('busy'): a second tab or
   * the service worker waits its turn rather than sending the same things alongside.
   */
  function syncNow(onProgress?: (p: SyncProgress) => void): Promise<SyncOutcome | 'busy'> {
    if (runningHere) return Promise.resolve('busy');
    const run: Promise<SyncOutcome | 'busy'> = deps.locks
      ? deps.locks.request<SyncOutcome | 'busy'>(deps.lockName, { ifAvailable: true }, (lock) => (lock ? syncOnce(onProgress) : 'busy'))
      : syncOnce(onProgress);
    const running = run.finally(() => {
      runningHere = null;
    });
    runningHere = running;
    return running;
  }

  return { syncNow };
}
