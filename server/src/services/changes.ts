import type { Queryable } from '../db/client.ts';

/**
 * Appends to the establishment's change log, in the caller's transaction. The counter row stays
 * locked until that transaction commits, so changes of one establishment commit in seq order and a
 * device that pulled up to N can never later find a change numbered N or below appear.
 */
export async function recordChange(
  tx: Queryable,
  establishmentId: string,
  entity: string,
  entityId: string,
  at: Date,
): Promise<void> {
  // One statement, not an UPDATE then an INSERT: the counter row is locked until commit, so every
  // round trip saved while holding it is time other devices of the establishment are not waiting
  // (npm run bench:ingest found pushes queued on this lock).
  const [row] = await tx.query<{ seq: string }>(
    `WITH next AS (UPDATE establishments SET change_seq = change_seq + 1 WHERE id = $1 RETURNING change_seq)
     INSERT INTO changes (establishment_id, seq, entity, entity_id, at)
     SELECT $1, next.change_seq, $2, $3, $4 FROM next
     RETURNING seq::text AS seq`,
    [establishmentId, entity, entityId, at],
  );
  if (!row) throw new Error(`no establishment ${establishmentId}`);
}
