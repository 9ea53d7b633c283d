/** The units (wings, houseblocks) of an establishment and their landings: reads, and audited changes. */
import type { UpdateUnitRequest, Unit } from '../../../src/shared/api/admin.ts';
import { newId } from '../../../src/shared/ids.ts';
import { auditAs, type Actor } from '../audit-request.ts';
import type { Db, Queryable } from '../db/client.ts';
import { keyToPrint, tagSheet } from './location-tags.ts';
import { handlers } from '../endpoint-handlers.ts';
import { conflict } from '../http-errors.ts';
import { notInMyEstablishment } from '../scope.ts';
import { readBack } from './read-back.ts';

export async function listUnits(db: Queryable, establishmentId: string, unitId?: string): Promise<Unit[]> {
  const rows = await db.query<{ id: string; name: string; landings: string[]; places: string[]; archived: boolean }>(
    `SELECT id, name, landings, places, archived_at IS NOT NULL AS archived FROM units
     WHERE establishment_id = $1 AND ($2::uuid IS NULL OR id = $2::uuid) ORDER BY name`,
    [establishmentId, unitId ?? null],
  );
  return rows;
}

async function nameTaken(db: Queryable, establishmentId: string, name: string, exceptId: string | null): Promise<boolean> {
  const rows = await db.query('SELECT 1 FROM units WHERE establishment_id = $1 AND lower(name) = lower($2) AND id IS DISTINCT FROM $3::uuid', [
    establishmentId,
    name,
    exceptId,
  ]);
  return rows.length > 0;
}

/** A new unit; names are unique in an establishment, whatever their case. */
export async function createUnit(db: Db, actor: Actor, input: Pick<Unit, 'name' | 'landings' | 'places'>): Promise<Unit> {
  const here = actor.auth.establishmentId;
  const { name, landings, places } = input;
  if (await nameTaken(db, here, name, null)) throw conflict(`There is already a unit called ${name}.`);
  const id = newId();
  await db.transaction(async (tx) => {
    await tx.query('INSERT INTO units (id, establishment_id, name, landings, places) VALUES ($1, $2, $3, $4, $5)', [
      id, here, name, landings, places,
    ]);
    await auditAs(tx, actor, { action: 'unit.create', entityType: 'unit', entityId: id, details: { name, landings, places } });
  });
  return readBack(listUnits(db, here, id), `unit ${id}`);
}

/** Renames a unit, changes its landings, archives it or brings it back. */
export async function updateUnit(db: Db, actor: Actor, id: string, changes: UpdateUnitRequest): Promise<Unit> {
  const here = actor.auth.establishmentId;
  const [before] = await listUnits(db, here, id);
  if (!before) throw await notInMyEstablishment(db, 'units', id, 'Unit', 'That unit belongs to another establishment.');
  const { name, landings, places, archived } = changes;
  if (name !== undefined && (await nameTaken(db, here, name, id))) throw conflict(`There is already a unit called ${name}.`);
  await db.transaction(async (tx) => {
    await tx.query(
      `UPDATE units SET name = coalesce($2, name), landings = coalesce($3, landings), places = coalesce($6, places),
         archived_at = CASE WHEN $4::boolean IS NULL THEN archived_at WHEN $4 THEN coalesce(archived_at, $5) ELSE NULL END
       WHERE id = $1`,
      [id, name ?? null, landings ?? null, archived ?? null, actor.now, places ?? null],
    );
    await auditAs(tx, actor, { action: 'unit.update', entityType: 'unit', entityId: id, details: { before, changes } });
  });
  return readBack(listUnits(db, here, id), `unit ${id}`);
}

export const unitHandlers = handlers({
  'units.list': (_, { deps, auth }) => listUnits(deps.db, auth().establishmentId),
  'units.create': ({ body }, { deps, actor }) => createUnit(deps.db, actor(), body),
  'units.update': ({ params, body }, { deps, actor }) => updateUnit(deps.db, actor(), params.id, body),
  'units.tags': async (_, { deps, actor, reply }) => {
    const { pdf, version } = await tagSheet(deps.db, actor());
    return reply
      .header('content-type', 'application/pdf')
      .header('content-disposition', `attachment; filename="location-tags-sheet-${version}.pdf"`)
      .header('cache-control', 'no-store')
      .send(pdf);
  },
  'units.renewTags': async (_, { deps, actor }) => ({ version: (await keyToPrint(deps.db, actor(), true)).version }),
});
