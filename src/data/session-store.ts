/** The signed-in person on this device, without UI hooks: also used by the service worker. */
import Dexie from 'dexie';
import { SessionInfo } from '../shared/auth.ts';
import { db } from './db.ts';

/**
 * The signed-in person, kept on the device so the app opens to their screens with no network.
 * `expired`: the server has since said the session ended; the person must sign in again, and
 * nothing queued is touched meanwhile.
 */
export interface StoredSession {
  info: SessionInfo;
  expired: boolean;
}

export async function getStoredSession(): Promise<StoredSession | null> {
  const [user, expired] = await Promise.all([db.meta.get('user'), db.meta.get('sessionExpired')]);
  const parsed = SessionInfo.safeParse(user?.value);
  return parsed.success ? { info: parsed.data, expired: expired?.value === true } : null;
}

export async function saveSession(info: SessionInfo): Promise<void> {
  await db.transaction('rw', db.meta, async () => {
    await db.meta.put({ key: 'user', value: info });
    await db.meta.delete('sessionExpired');
  });
}

export async function markSessionExpired(): Promise<void> {
  if (await db.meta.get('user')) await db.meta.put({ key: 'sessionExpired', value: true });
}

export class UnsyncedWorkError extends Error {
  constructor(readonly waiting: number) {
    super(
      `${waiting} ${waiting === 1 ? 'item is' : 'items are'} still waiting to sync. Connect to the network and let them send before signing out, or they would be lost.`,
    );
  }
}

export class DraftsOpenError extends Error {
  constructor(readonly drafts: number) {
    super(
      `${drafts === 1 ? 'A check is' : `${drafts} checks are`} still in progress on this device. Submit or discard ${drafts === 1 ? 'it' : 'them'} on the Today screen before signing out, or ${drafts === 1 ? 'it' : 'they'} would be lost.`,
    );
  }
}

/** Drafts started on this device and not yet submitted. */
export function countDrafts(): Promise<number> {
  return db.checks.where('[status+updatedAt]').between(['draft', Dexie.minKey], ['draft', Dexie.maxKey]).count();
}

/**
 * Forgets the signed-in person and everything of theirs on this device: the pulled data, their
 * checks and photos, and cached API answers. Refuses while anything waits to be sent or a draft is open. Keeps the
 * device id and the app itself (the precache).
 */
export async function wipeLocalData(): Promise<void> {
  await db.transaction('rw', db.tables, async () => {
    const waiting = await db.outbox.count();
    if (waiting > 0) throw new UnsyncedWorkError(waiting);
    const drafts = await countDrafts();
    if (drafts > 0) throw new DraftsOpenError(drafts);
    for (const table of db.tables) {
      if (table.name === db.meta.name) await db.meta.where('key').notEqual('clientId').delete();
      else await table.clear();
    }
  });
  if ('caches' in globalThis) {
    for (const name of await caches.keys()) {
      if (!name.startsWith('workbox-precache')) await caches.delete(name);
    }
  }
}

/** How many items wait to be sent (signing out is refused while any do). */
export function countWaiting(): Promise<number> {
  return db.outbox.count();
}
