import { db, type ReadingRow } from './db.ts';

/** Keeps the server's answer to `key` (an API path) for reading offline. */
export async function saveReading(key: string, data: unknown, refreshedAt: Date): Promise<void> {
  await db.readings.put({ key, data, refreshedAt: refreshedAt.toISOString() });
}

export function getReading(key: string): Promise<ReadingRow | undefined> {
  return db.readings.get(key);
}
