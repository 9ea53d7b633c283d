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
  const [row] = await tx.query<{ seq: string }>(
    'UPDATE establishments SET change_seq = change_seq + 1 WHERE id = $1 RETURNING change_seq::text AS seq',
    [establishmentId],
  );
  if (!row) throw new Error(`no establishment ${establishmentId}`);
  await tx.query('INSERT INTO changes (establishment_id, seq, entity, entity_id, at) VALUES ($1, $2, $3, $4, $5)', [
    establishmentId,
    row.seq,
    entity,
    entityId,
    at,
  ]);
}
