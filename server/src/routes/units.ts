import type { FastifyInstance } from 'fastify';
import { CreateUnitRequest, IdParams, UpdateUnitRequest, type Unit } from '../../../src/shared/api/admin.ts';
import { newId } from '../../../src/shared/ids.ts';
import type { AppDeps } from '../app.ts';
import { appendAudit } from '../audit.ts';
import { authOf, deviceIdOf } from '../auth/guard.ts';
import type { Queryable } from '../db/client.ts';
import { conflict } from '../http-errors.ts';
import { notInMyEstablishment } from '../scope.ts';
import type { ZodTypeProvider } from '../validation.ts';

async function listUnits(db: Queryable, establishmentId: string, unitId?: string): Promise<Unit[]> {
  const rows = await db.query<{ id: string; name: string; landings: string[]; archived: boolean }>(
    `SELECT id, name, landings, archived_at IS NOT NULL AS archived FROM units
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

export function unitRoutes(app: FastifyInstance, deps: AppDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/api/units', { config: { access: 'signed-in' } }, async (request) => listUnits(deps.db, authOf(request).establishmentId));

  api.post('/api/units', { config: { access: ['admin'] }, schema: { body: CreateUnitRequest } }, async (request, reply) => {
    const auth = authOf(request);
    const { name, landings } = request.body;
    if (await nameTaken(deps.db, auth.establishmentId, name, null)) throw conflict(`There is already a unit called ${name}.`);
    const id = newId();
    await deps.db.transaction(async (tx) => {
      await tx.query('INSERT INTO units (id, establishment_id, name, landings) VALUES ($1, $2, $3, $4)', [
        id,
        auth.establishmentId,
        name,
        landings,
      ]);
      await appendAudit(
        tx,
        {
          establishmentId: auth.establishmentId,
          actorId: auth.userId,
          action: 'unit.create',
          entityType: 'unit',
          entityId: id,
          deviceId: deviceIdOf(request),
          details: { name, landings },
        },
        deps.clock.now(),
      );
    });
    const [created] = await listUnits(deps.db, auth.establishmentId, id);
    return reply.code(201).send(created);
  });

  api.patch(
    '/api/units/:id',
    { config: { access: ['admin'] }, schema: { params: IdParams, body: UpdateUnitRequest } },
    async (request) => {
      const auth = authOf(request);
      const { id } = request.params;
      const [before] = await listUnits(deps.db, auth.establishmentId, id);
      if (!before) {
        throw await notInMyEstablishment(deps.db, 'units', id, 'Unit', 'That unit belongs to another establishment.');
      }
      const { name, landings, archived } = request.body;
      if (name !== undefined && (await nameTaken(deps.db, auth.establishmentId, name, id))) {
        throw conflict(`There is already a unit called ${name}.`);
      }
      const now = deps.clock.now();
      await deps.db.transaction(async (tx) => {
        await tx.query(
          `UPDATE units SET name = coalesce($2, name), landings = coalesce($3, landings),
             archived_at = CASE WHEN $4::boolean IS NULL THEN archived_at WHEN $4 THEN coalesce(archived_at, $5) ELSE NULL END
           WHERE id = $1`,
          [id, name ?? null, landings ?? null, archived ?? null, now],
        );
        await appendAudit(
          tx,
          {
            establishmentId: auth.establishmentId,
            actorId: auth.userId,
            action: 'unit.update',
            entityType: 'unit',
            entityId: id,
            deviceId: deviceIdOf(request),
            details: { before, changes: request.body },
          },
          now,
        );
      });
      const [after] = await listUnits(deps.db, auth.establishmentId, id);
      return after;
    },
  );
}
