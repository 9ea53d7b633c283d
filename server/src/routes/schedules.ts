import type { FastifyInstance } from 'fastify';
import { IdParams } from '../../../src/shared/api/admin.ts';
import { CreateScheduleRequest, UpdateScheduleRequest } from '../../../src/shared/api/capture.ts';
import type { AppDeps } from '../app.ts';
import { actorOf } from '../audit-request.ts';
import { authOf } from '../auth/guard.ts';
import { createSchedule, listSchedules, updateSchedule } from '../services/schedules.ts';
import type { ZodTypeProvider } from '../validation.ts';

export function scheduleRoutes(app: FastifyInstance, deps: AppDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/api/schedules', { config: { access: 'signed-in' } }, async (request) => listSchedules(deps.db, authOf(request).establishmentId));

  api.post('/api/schedules', { config: { access: ['admin'] }, schema: { body: CreateScheduleRequest } }, async (request, reply) =>
    reply.code(201).send(await createSchedule(deps.db, actorOf(request, deps.clock), request.body)));

  api.patch(
    '/api/schedules/:id',
    { config: { access: ['admin'] }, schema: { params: IdParams, body: UpdateScheduleRequest } },
    async (request) => updateSchedule(deps.db, actorOf(request, deps.clock), request.params.id, request.body),
  );
}
