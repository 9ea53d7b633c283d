import type { Queryable } from './db/client.ts';
import { forbidden, notFound, type HttpError } from './http-errors.ts';

/**
 * The error for a row the caller's establishment does not have: 403 if it exists in another
 * establishment (another's business, not a way in), 404 if it does not exist at all.
 */
export async function notInMyEstablishment(
  db: Queryable,
  table: 'users' | 'units' | 'plans' | 'recommendations' | 'actions' | 'templates' | 'schedules',
  id: string,
  what: string,
  forbiddenMessage: string,
): Promise<HttpError> {
  const [elsewhere] = await db.query(`SELECT 1 FROM ${table} WHERE id = $1`, [id]);
  return elsewhere ? forbidden(forbiddenMessage) : notFound(what);
}
