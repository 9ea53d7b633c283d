import type { FastifyInstance } from 'fastify';
import { AuditQuery, type AuditRow } from '../../../src/shared/api/admin.ts';
import type { AppDeps } from '../app.ts';
import { verifyAudit } from '../audit.ts';
import { authOf } from '../auth/guard.ts';
import type { ZodTypeProvider } from '../validation.ts';

export function auditRoutes(app: FastifyInstance, deps: AppDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/api/audit', { config: { access: ['admin'] }, schema: { querystring: AuditQuery } }, async (request) => {
    const { establishmentId } = authOf(request);
    const { before, limit } = request.query;
    const rows = await deps.db.query<{
      seq: string;
      at: Date;
      actor: string | null;
      action: string;
      entity_type: string;
      entity_id: string | null;
      device_id: string | null;
      details: Record<string, unknown>;
    }>(
      `SELECT a.seq::text AS seq, a.at, u.username AS actor, a.action, a.entity_type, a.entity_id, a.device_id, a.details
       FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id
       WHERE a.establishment_id = $1 AND ($2::bigint IS NULL OR a.seq < $2::bigint)
       ORDER BY a.seq DESC LIMIT $3`,
      [establishmentId, before ?? null, limit],
    );
    return rows.map(
      (r): AuditRow => ({
        seq: Number(r.seq),
        at: r.at.toISOString(),
        actor: r.actor,
        action: r.action,
        entityType: r.entity_type,
        entityId: r.entity_id,
        deviceId: r.device_id,
        details: r.details,
      }),
    );
  });

  api.get('/api/audit/verify', { config: { access: ['admin'] } }, async (request) =>
    verifyAudit(deps.db, authOf(request).establishmentId),
  );
}
