/**
 * What is on this device that must not be lost, and forgetting it all (signing out, or another
 * person signing in). Kept apart from the session store so the first screen does not load it.
 */
import Dexie from 'dexie';
import { db } from './db.ts';
import { deleteParked, parkedWork } from './parked.ts';

export class UnsyncedWorkError extends Error {
  constructor(
    readonly waiting: number,
    /** How many of them belong to another establishment this device worked in. */
    readonly elsewhere = 0,
  ) {
    super(
      `${waiting} ${waiting === 1 ? 'item is' : 'items are'} still waiting to sync${elsewhere > 0 ? `, ${elsewhere} of them in another establishment (change to it to send them)` : ''}. Connect to the network and let them send before signing out, or they would be lost.`,
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

interface LocalWork {
  waiting: number;
  drafts: number;
  /** Of those, how many are in other establishments this device worked in (parked.ts). */
  waitingElsewhere: number;
  draftsElsewhere: number;
}

/** What waits to be sent and the drafts still open, here and in every establishment parked on this device. */
async function localWork(): Promise<LocalWork> {
  const elsewhere = await parkedWork();
  const waitingElsewhere = elsewhere.reduce((sum, p) => sum + p.waiting, 0);
  const draftsElsewhere = elsewhere.reduce((sum, p) => sum + p.drafts, 0);
  return {
    waiting: (await db.outbox.count()) + waitingElsewhere,
    drafts: (await countDraftsHere()) + draftsElsewhere,
    waitingElsewhere,
    draftsElsewhere,
  };
}

/** How much on this device would be lost by forgetting its data: unsent items and open drafts, anywhere. */
export async function unsentWork(): Promise<number> {
  const work = await localWork();
  return work.waiting + work.drafts;
}

/** Refuses, saying what and where, while forgetting this device's data would lose anything. */
export async function assertNothingUnsent(): Promise<void> {
  const { waiting, drafts, waitingElsewhere } = await localWork();
  if (waiting > 0) throw new UnsyncedWorkError(waiting, waitingElsewhere);
  if (drafts > 0) throw new DraftsOpenError(drafts);
}

/**
 * Forgets the signed-in person and everything of theirs on this device: the pulled data, their
 * checks and photos, cached API answers, and the data of other establishments they worked in.
 * Refuses while anything waits to be sent or a draft is open, anywhere. Keeps the device id and
 * the app itself (the precache).
 */
export async function wipeLocalData(): Promise<void> {
  await assertNothingUnsent();
  await db.transaction('rw', db.tables, async () => {
    // Asked again inside the transaction: work queued since must not be wiped with the rest.
    const waiting = await db.outbox.count();
    if (waiting > 0) throw new UnsyncedWorkError(waiting);
    const drafts = await countDraftsHere();
    if (drafts > 0) throw new DraftsOpenError(drafts);
    for (const table of db.tables) {
      if (table.name === db.meta.name) await db.meta.where('key').notEqual('clientId').delete();
      else await table.clear();
    }
  });
  await deleteParked();
  if ('caches' in globalThis) {
    for (const name of await caches.keys()) {
      if (!name.startsWith('workbox-precache')) await caches.delete(name);
    }
  }
}

function countDraftsHere(): Promise<number> {
  return db.checks.where('[status+updatedAt]').between(['draft', Dexie.minKey], ['draft', Dexie.maxKey]).count();
}
