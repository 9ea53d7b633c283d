import type { FastifyInstance } from 'fastify';
import {
  AuditQuery, AuditVerifyQuery, type AuditCheckpoint, type AuditRow, type AuditVerifyResponse,
} from '../../../src/shared/api/admin.ts';
import type { AppDeps } from '../app.ts';
import { verifyAudit } from '../audit.ts';
import { authOf } from '../auth/guard.ts';
import { verifyEvidence } from '../evidence-chain.ts';
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

  api.get('/api/audit/verify', { config: { access: ['admin'] }, schema: { querystring: AuditVerifyQuery } }, async (request) => {
    const { establishmentId } = authOf(request);
    const { seq, hash } = request.query;
    const checkpoint = seq !== undefined && hash !== undefined ? { seq, hash } : null;
    const chain = await verifyAudit(deps.db, establishmentId, checkpoint ?? undefined);
    if (!chain.ok) return chain satisfies AuditVerifyResponse;
    // The chain holds; now every stored check, note and review must match its entry in it.
    const evidence = await verifyEvidence(deps.db, establishmentId);
    if (!evidence.ok) {
      return { ok: false, count: chain.count, brokenAt: null, reason: evidence.reason } satisfies AuditVerifyResponse;
    }
    const { checks, reviews } = evidence;
    return { ok: true, count: chain.count, evidence: { checks, reviews }, checkpoint } satisfies AuditVerifyResponse;
  });

  // The chain's head now, as a file to keep away from the server: verifying against it later
  // shows whether anything up to it was removed or rewritten, even by someone with the database.
  api.get('/api/audit/checkpoint', { config: { access: ['admin'] } }, async (request, reply) => {
    const { establishmentId } = authOf(request);
    const [row] = await deps.db.query<{ name: string; seq: string; head: string }>(
      'SELECT name, audit_seq::text AS seq, audit_head AS head FROM establishments WHERE id = $1',
      [establishmentId],
    );
    const at = deps.clock.now();
    const checkpoint: AuditCheckpoint = {
      establishmentId,
      establishment: row?.name ?? '',
      seq: Number(row?.seq ?? 0),
      hash: row?.head ?? '',
      at: at.toISOString(),
    };
    const day = at.toISOString().slice(0, 10);
    void reply.header('content-disposition', `attachment; filename="wingcheck-audit-checkpoint-${day}-${checkpoint.seq}.json"`);
    return checkpoint;
  });
}
