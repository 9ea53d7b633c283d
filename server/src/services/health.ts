/** Whether the database answers: the health endpoint's one question of it. */
import type { Queryable } from '../db/client.ts';

/** Resolves when the database answers a trivial query; rejects with its error when it does not. */
export async function pingDatabase(db: Queryable): Promise<void> {
  await db.query('SELECT 1');
}
