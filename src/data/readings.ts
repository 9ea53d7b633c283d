import { db, type ReadingRow } from './db.ts';
import { stillSignedIn } from './session-store.ts';

/**
 * Keeps the server's answer to `key` (an API path) for reading offline, while its reader is still
 * signed in, to the establishment it was asked in (the device may have switched meanwhile).
 */
export async function saveReading(key: string, data: unknown, refreshedAt: Date, establishmentId?: string): Promise<void> {
  await db.transaction('rw', db.readings, db.meta, async () => {
    if (await stillSignedIn(establishmentId)) await db.readings.put({ key, data, refreshedAt: refreshedAt.toISOString() });
  });
}

export function getReading(key: string): Promise<ReadingRow | undefined> {
  return db.readings.get(key);
}
