/**
 * The data of establishments this device worked in before the one it works in now, each in its
 * own IndexedDB database ("parked"), so what was captured in one prison never shows in another,
 * and nothing waiting to be sent is lost by switching. The working data is always `db` (db.ts):
 * screens, the sync engine and the service worker never need to know which establishment it is.
 */
import Dexie from 'dexie';
import { WingcheckDb, type MetaKey } from './db.ts';

const PREFIX = 'wingcheck-establishment-';

/** The parked database of an establishment. */
export const parkedName = (establishmentId: string) => `${PREFIX}${establishmentId}`;

/** Meta that belongs to the device itself, not to one establishment's data. */
export const DEVICE_META: readonly MetaKey[] = ['clientId'];

/** Every table's rows, read in one transaction (meta without the device's own keys). */
export type Snapshot = Map<string, unknown[]>;

export async function snapshotOf(source: WingcheckDb): Promise<Snapshot> {
  return source.transaction('r', source.tables, async () => {
    const snapshot: Snapshot = new Map();
    for (const table of source.tables) {
      const rows: unknown[] = table.name === source.meta.name ? await source.meta.where('key').noneOf(DEVICE_META).toArray() : await table.toArray();
      snapshot.set(table.name, rows);
    }
    return snapshot;
  });
}

/** Replaces every table's rows (meta but the device's own keys) with the snapshot's, in one transaction. */
export async function replaceWith(target: WingcheckDb, snapshot: Snapshot): Promise<void> {
  await target.transaction('rw', target.tables, async () => {
    for (const table of target.tables) {
      if (table.name === target.meta.name) await target.meta.where('key').noneOf(DEVICE_META).delete();
      else await table.clear();
      const rows = snapshot.get(table.name) ?? [];
      // Rows keep their keys, the outbox's sequence numbers among them: the order of sending holds.
      if (rows.length > 0) await table.bulkPut(rows);
    }
  });
}

/** The establishments whose data is parked on this device. */
export async function parkedEstablishments(): Promise<string[]> {
  const names = await Dexie.getDatabaseNames();
  return names.filter((name) => name.startsWith(PREFIX)).map((name) => name.slice(PREFIX.length));
}

/** Runs `work` on an establishment's parked database, closing it afterwards. */
export async function withParked<T>(establishmentId: string, work: (parked: WingcheckDb) => Promise<T>): Promise<T> {
  const parked = new WingcheckDb(parkedName(establishmentId));
  try {
    return await work(parked);
  } finally {
    parked.close();
  }
}

/** What waits to be sent, and drafts in progress, in each parked establishment with any. */
export async function parkedWork(): Promise<{ establishmentId: string; waiting: number; drafts: number }[]> {
  const found = [];
  for (const establishmentId of await parkedEstablishments()) {
    const counts = await withParked(establishmentId, async (parked) => ({
      waiting: await parked.outbox.count(),
      drafts: await parked.checks.where('[status+updatedAt]').between(['draft', Dexie.minKey], ['draft', Dexie.maxKey]).count(),
    }));
    if (counts.waiting + counts.drafts > 0) found.push({ establishmentId, ...counts });
  }
  return found;
}

/** Forgets every parked establishment (signing out, or another person signing in). */
export async function deleteParked(): Promise<void> {
  for (const establishmentId of await parkedEstablishments()) await Dexie.delete(parkedName(establishmentId));
}
