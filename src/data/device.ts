import { newId } from '../shared/ids.ts';
import { db } from './db.ts';

/**
 * This device's id, made on first use. Call it inside a read-write transaction that includes
 * db.meta, so two tabs opening at once agree; a caller's own transaction saves one of its own.
 */
export async function clientIdInTransaction(): Promise<string> {
  const row = await db.meta.get('clientId');
  if (typeof row?.value === 'string') return row.value;
  const clientId = newId();
  await db.meta.put({ key: 'clientId', value: clientId });
  return clientId;
}

/**
 * This device's stable id, made once and kept: the server uses it with each mutation's sequence
 * number to tell devices apart. Made inside a transaction so two tabs opening at once agree.
 */
export async function getClientId(): Promise<string> {
  return db.transaction('rw', db.meta, clientIdInTransaction);
}
