import type { FastifyInstance } from 'fastify';
import { CreateUnitRequest, IdParams, UpdateUnitRequest } from '../../../src/shared/api/admin.ts';
import type { AppDeps } from '../app.ts';
import { actorOf } from '../audit-request.ts';
import { authOf } from '../auth/guard.ts';
import { createUnit, listUnits, updateUnit } from '../services/units.ts';
import type { ZodTypeProvider } from '../validation.ts';

export function unitRoutes(app: FastifyInstance, deps: AppDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/api/units', { config: { access: 'signed-in' } }, async (request) => listUnits(deps.db, authOf(request).establishmentId));

  api.post('/api/units', { config: { access: ['admin'] }, schema: { body: CreateUnitRequest } }, async (request, reply) =>
    reply.code(201).send(await createUnit(deps.db, actorOf(request, deps.clock), request.body)));

  api.patch(
    '/api/units/:id',
    { config: { access: ['admin'] }, schema: { params: IdParams, body: UpdateUnitRequest } },
    async (request) => updateUnit(deps.db, actorOf(request, deps.clock), request.params.id, request.body),
  );
}
