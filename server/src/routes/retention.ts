import type { FastifyInstance } from 'fastify';
import { RetentionRequest, type RetentionSettings } from '../../../src/shared/api/admin.ts';
import type { AppDeps } from '../app.ts';
import { appendAudit } from '../audit.ts';
import { authOf, deviceIdOf } from '../auth/guard.ts';
import { retentionSettings } from '../services/retention.ts';
import type { ZodTypeProvider } from '../validation.ts';

/** The establishment's retention period: read and set by its admins; the purge itself runs on a schedule. */
export function retentionRoutes(app: FastifyInstance, deps: AppDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/api/retention', { config: { access: ['admin'] } }, async (request): Promise<RetentionSettings> =>
    retentionSettings(deps.db, authOf(request).establishmentId, deps.clock.now()));

  api.put('/api/retention', { config: { access: ['admin'] }, schema: { body: RetentionRequest } }, async (request): Promise<RetentionSettings> => {
    const auth = authOf(request);
    const { retentionYears } = request.body;
    const now = deps.clock.now();
    await deps.db.transaction(async (tx) => {
      const [before] = await tx.query<{ retention_years: number | null }>(
        'SELECT retention_years FROM establishments WHERE id = $1 FOR UPDATE',
        [auth.establishmentId],
      );
      if ((before?.retention_years ?? null) === retentionYears) return;
      await tx.query('UPDATE establishments SET retention_years = $2 WHERE id = $1', [auth.establishmentId, retentionYears]);
      await appendAudit(
        tx,
        {
          establishmentId: auth.establishmentId,
          actorId: auth.userId,
          action: 'establishment.set-retention',
          entityType: 'establishment',
          entityId: auth.establishmentId,
          deviceId: deviceIdOf(request),
          details: { from: before?.retention_years ?? null, to: retentionYears },
        },
        now,
      );
    });
    return retentionSettings(deps.db, auth.establishmentId, now);
  });
}
