import type { FastifyInstance, FastifyRequest } from 'fastify';
import { IdParams } from '../../../src/shared/api/admin.ts';
import { CreateTemplateRequest, TemplateDraft, UpdateTemplateRequest } from '../../../src/shared/api/capture.ts';
import { newId } from '../../../src/shared/ids.ts';
import type { AppDeps } from '../app.ts';
import { auditRequest } from '../audit-request.ts';
import { authOf } from '../auth/guard.ts';
import type { AuthContext } from '../auth/sessions.ts';
import type { Queryable } from '../db/client.ts';
import { conflict } from '../http-errors.ts';
import { notInMyEstablishment } from '../scope.ts';
import { insertTemplateVersion, listTemplateVersions } from '../services/templates.ts';
import type { ZodTypeProvider } from '../validation.ts';

async function myTemplate(db: Queryable, auth: AuthContext, id: string): Promise<{ id: string; key: string }> {
  const [row] = await db.query<{ id: string; key: string }>('SELECT id, key FROM templates WHERE id = $1 AND establishment_id = $2', [
    id,
    auth.establishmentId,
  ]);
  if (row) return row;
  throw await notInMyEstablishment(db, 'templates', id, 'Template', 'That template belongs to another establishment.');
}

export function templateRoutes(app: FastifyInstance, deps: AppDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const audit = (tx: Queryable, request: FastifyRequest, action: string, entityId: string, details: Record<string, unknown>) =>
    auditRequest(tx, request, { action, entityType: 'template', entityId, details }, deps.clock.now());

  // Every version, old ones included: a device must render a check with the version it was made with.
  api.get('/api/templates', { config: { access: 'signed-in' } }, async (request) => listTemplateVersions(deps.db, authOf(request).establishmentId));

  api.post('/api/templates', { config: { access: ['admin'] }, schema: { body: CreateTemplateRequest } }, async (request, reply) => {
    const auth = authOf(request);
    const { key, ...definition } = request.body;
    const [taken] = await deps.db.query('SELECT 1 FROM templates WHERE establishment_id = $1 AND key = $2', [auth.establishmentId, key]);
    if (taken) throw conflict(`There is already a template called ${key}: add a version to it instead.`);
    const templateId = newId();
    const created = await deps.db.transaction(async (tx) => {
      await tx.query('INSERT INTO templates (id, establishment_id, key) VALUES ($1, $2, $3)', [templateId, auth.establishmentId, key]);
      const version = await insertTemplateVersion(tx, templateId, { key, ...definition }, auth.userId);
      await audit(tx, request, 'template.create', templateId, { key, title: definition.title, version: version.version });
      return version;
    });
    const [record] = await listTemplateVersions(deps.db, auth.establishmentId, { versionId: created.id });
    return reply.code(201).send(record);
  });

  api.post(
    '/api/templates/:id/versions',
    { config: { access: ['admin'] }, schema: { params: IdParams, body: TemplateDraft } },
    async (request, reply) => {
      const auth = authOf(request);
      const template = await myTemplate(deps.db, auth, request.params.id);
      const created = await deps.db.transaction(async (tx) => {
        const version = await insertTemplateVersion(tx, template.id, { key: template.key, ...request.body }, auth.userId);
        await audit(tx, request, 'template.version', template.id, { key: template.key, title: request.body.title, version: version.version });
        return version;
      });
      const [record] = await listTemplateVersions(deps.db, auth.establishmentId, { versionId: created.id });
      return reply.code(201).send(record);
    },
  );

  api.patch(
    '/api/templates/:id',
    { config: { access: ['admin'] }, schema: { params: IdParams, body: UpdateTemplateRequest } },
    async (request) => {
      const auth = authOf(request);
      const template = await myTemplate(deps.db, auth, request.params.id);
      const { archived } = request.body;
      await deps.db.transaction(async (tx) => {
        await tx.query('UPDATE templates SET archived_at = $2 WHERE id = $1', [template.id, archived ? deps.clock.now() : null]);
        await audit(tx, request, archived ? 'template.archive' : 'template.restore', template.id, { key: template.key });
      });
      return listTemplateVersions(deps.db, auth.establishmentId, { templateId: template.id });
    },
  );
}
