/**
 * The one-round-trip write of a submit (src/data/checks.ts), in IndexedDB itself rather than
 * through Dexie: on a slow tablet each of Dexie's promise layers is milliseconds of the tap
 * (bench:device). Loaded with what submitting needs, not with the first screen.
 */
import Dexie, { RangeSet, type Table } from 'dexie';
import type { SeenDraft } from './checks.ts';
import { db, type CheckRow, type OutboxRow } from './db.ts';

/** Tells live queries, here and in other tabs, that these tables changed outside Dexie. */
function announceChanged(tables: readonly Table[]): void {
  const everything = new RangeSet(Dexie.minKey, Dexie.maxKey);
  const parts: Record<string, RangeSet> = {};
  for (const table of tables) {
    // Dexie's own form of a changed part: the primary key (''), deletions (':dels') and each index.
    for (const index of ['', ':dels', ...table.schema.indexes.map((i) => i.name)]) parts[`idb://${db.name}/${table.name}/${index}`] = everything;
  }
  Dexie.on('storagemutated').fire(parts);
}

const sortedIds = (ids: readonly string[]) => JSON.stringify([...ids].sort());

/**
 * Writes the submitted row and its outbox entry in the same round trip as the reads that prove the
 * device still holds exactly the draft the form shows, its photos and this device id. IndexedDB
 * runs a transaction's requests in order and commits only once every result has been handled, so
 * a difference found in the results aborts the transaction and the writes are rolled back:
 * resolves false then, true once committed to disk (strict durability).
 */
export function writeIfUnchanged(
  { check, photos }: SeenDraft,
  submitted: CheckRow,
  entry: OutboxRow,
  clientId: string,
): Promise<boolean> {
  const stores = [db.checks, db.photos, db.meta, db.outbox].map((table) => table.name);
  return new Promise((resolve, reject) => {
    const tx = db.backendDB().transaction(stores, 'readwrite', { durability: 'strict' });
    const checks = tx.objectStore(db.checks.name);
    const row = checks.get(check.id);
    const photoIds = tx.objectStore(db.photos.name).index('checkId').getAllKeys(check.id);
    const device = tx.objectStore(db.meta.name).get('clientId');
    checks.put(submitted);
    tx.objectStore(db.outbox.name).add(entry);
    let stale = false;
    // The last read: its result comes after the others' and before the writes', so the check runs
    // before anything can commit.
    device.onsuccess = () => {
      // Rows read back from IndexedDB keep their key order, so equal rows serialise alike; any
      // other difference only sends the submit down the slower path.
      const held = row.result as CheckRow | undefined;
      const unchanged = held !== undefined && JSON.stringify(held) === JSON.stringify(check)
        && sortedIds(photoIds.result as string[]) === sortedIds(photos.map((p) => p.id))
        && (device.result as { value?: unknown } | undefined)?.value === clientId;
      if (unchanged) return;
      stale = true;
      tx.abort();
    };
    tx.oncomplete = () => {
      resolve(true);
      announceChanged([db.checks, db.outbox]);
    };
    tx.onabort = () => {
      if (stale) resolve(false);
      else reject(tx.error ?? new Error('The submitted check was not saved.'));
    };
  });
}
