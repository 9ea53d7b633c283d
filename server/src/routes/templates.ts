import type { FastifyInstance } from 'fastify';
import { IdParams } from '../../../src/shared/api/admin.ts';
import { CreateTemplateRequest, TemplateDraft, UpdateTemplateRequest } from '../../../src/shared/api/capture.ts';
import type { AppDeps } from '../app.ts';
import { actorOf } from '../audit-request.ts';
import { authOf } from '../auth/guard.ts';
import { addTemplateVersion, createTemplate, listTemplateVersions, setTemplateArchived } from '../services/templates.ts';
import type { ZodTypeProvider } from '../validation.ts';

export function templateRoutes(app: FastifyInstance, deps: AppDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  // Every version, old ones included: a device must render a check with the version it was made with.
  api.get('/api/templates', { config: { access: 'signed-in' } }, async (request) => listTemplateVersions(deps.db, authOf(request).establishmentId));

  api.post('/api/templates', { config: { access: ['admin'] }, schema: { body: CreateTemplateRequest } }, async (request, reply) => {
    const { key, ...definition } = request.body;
    return reply.code(201).send(await createTemplate(deps.db, actorOf(request, deps.clock), key, definition));
  });

  api.post(
    '/api/templates/:id/versions',
    { config: { access: ['admin'] }, schema: { params: IdParams, body: TemplateDraft } },
    async (request, reply) =>
      reply.code(201).send(await addTemplateVersion(deps.db, actorOf(request, deps.clock), request.params.id, request.body)),
  );

  api.patch(
    '/api/templates/:id',
    { config: { access: ['admin'] }, schema: { params: IdParams, body: UpdateTemplateRequest } },
    async (request) => setTemplateArchived(deps.db, actorOf(request, deps.clock), request.params.id, request.body.archived),
  );
}
