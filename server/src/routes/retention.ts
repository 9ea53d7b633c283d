import type { FastifyInstance } from 'fastify';
import { RetentionRequest, type RetentionSettings } from '../../../src/shared/api/admin.ts';
import type { AppDeps } from '../app.ts';
import { actorOf } from '../audit-request.ts';
import { authOf } from '../auth/guard.ts';
import { retentionSettings, setRetention } from '../services/retention.ts';
import type { ZodTypeProvider } from '../validation.ts';

/** The establishment's retention period: read and set by its admins; the purge itself runs on a schedule. */
export function retentionRoutes(app: FastifyInstance, deps: AppDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/api/retention', { config: { access: ['admin'] } }, async (request): Promise<RetentionSettings> =>
    retentionSettings(deps.db, authOf(request).establishmentId, deps.clock.now()));

  api.put('/api/retention', { config: { access: ['admin'] }, schema: { body: RetentionRequest } }, async (request): Promise<RetentionSettings> =>
    setRetention(deps.db, actorOf(request, deps.clock), request.body.retentionYears));
}
