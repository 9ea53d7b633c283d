import type { FastifyInstance, FastifyRequest } from 'fastify';
import { IdParams } from '../../../src/shared/api/admin.ts';
import { CreateScheduleRequest, UpdateScheduleRequest, type Schedule } from '../../../src/shared/api/capture.ts';
import { newId } from '../../../src/shared/ids.ts';
import { localDateOf } from '../../../src/shared/schedules.ts';
import type { AppDeps } from '../app.ts';
import { auditRequest } from '../audit-request.ts';
import { authOf } from '../auth/guard.ts';
import type { Queryable } from '../db/client.ts';
import { notInMyEstablishment } from '../scope.ts';
import { checkScheduleRefs, insertSchedule, listSchedules, setScheduleLinks } from '../services/schedules.ts';
import type { ZodTypeProvider } from '../validation.ts';

export function scheduleRoutes(app: FastifyInstance, deps: AppDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const audit = (tx: Queryable, request: FastifyRequest, action: string, entityId: string, details: Record<string, unknown>) =>
    auditRequest(tx, request, { action, entityType: 'schedule', entityId, details }, deps.clock.now());

  api.get('/api/schedules', { config: { access: 'signed-in' } }, async (request) => listSchedules(deps.db, authOf(request).establishmentId));

  api.post('/api/schedules', { config: { access: ['admin'] }, schema: { body: CreateScheduleRequest } }, async (request, reply) => {
    const auth = authOf(request);
    const body = request.body;
    await checkScheduleRefs(deps.db, auth.establishmentId, body);
    const [here] = await deps.db.query<{ time_zone: string }>('SELECT time_zone FROM establishments WHERE id = $1', [auth.establishmentId]);
    const startsOn = body.startsOn ?? localDateOf(deps.clock.now(), here?.time_zone ?? 'Europe/London');
    const id = newId();
    await deps.db.transaction(async (tx) => {
      await insertSchedule(tx, auth.establishmentId, id, { ...body, startsOn });
      await audit(tx, request, 'schedule.create', id, { ...body, startsOn });
    });
    const [created] = await listSchedules(deps.db, auth.establishmentId, id);
    return reply.code(201).send(created);
  });

  api.patch(
    '/api/schedules/:id',
    { config: { access: ['admin'] }, schema: { params: IdParams, body: UpdateScheduleRequest } },
    async (request): Promise<Schedule | undefined> => {
      const auth = authOf(request);
      const { id } = request.params;
      const [before] = await listSchedules(deps.db, auth.establishmentId, id);
      if (!before) throw await notInMyEstablishment(deps.db, 'schedules', id, 'Schedule', 'That schedule belongs to another establishment.');
      const { frequency, performedBy, unitIds, actionIds, archived } = request.body;
      await checkScheduleRefs(deps.db, auth.establishmentId, { unitIds, actionIds });
      await deps.db.transaction(async (tx) => {
        if (frequency) await tx.query('UPDATE schedules SET frequency = $2 WHERE id = $1', [id, JSON.stringify(frequency)]);
        if (performedBy) await tx.query('UPDATE schedules SET performed_by = $2 WHERE id = $1', [id, performedBy]);
        if (archived !== undefined) await tx.query('UPDATE schedules SET archived_at = $2 WHERE id = $1', [id, archived ? deps.clock.now() : null]);
        await setScheduleLinks(tx, id, { unitIds, actionIds });
        await audit(tx, request, 'schedule.update', id, { before, changes: request.body });
      });
      const [after] = await listSchedules(deps.db, auth.establishmentId, id);
      return after;
    },
  );
}
