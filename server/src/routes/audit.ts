import type { FastifyInstance } from 'fastify';
import { AuditQuery, AuditVerifyQuery } from '../../../src/shared/api/admin.ts';
import type { AppDeps } from '../app.ts';
import { authOf } from '../auth/guard.ts';
import { auditCheckpoint, auditPage, verifyLog } from '../services/audit-log.ts';
import type { ZodTypeProvider } from '../validation.ts';

export function auditRoutes(app: FastifyInstance, deps: AppDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/api/audit', { config: { access: ['admin'] }, schema: { querystring: AuditQuery } }, async (request) =>
    auditPage(deps.db, authOf(request).establishmentId, request.query.before, request.query.limit));

  api.get('/api/audit/verify', { config: { access: ['admin'] }, schema: { querystring: AuditVerifyQuery } }, async (request) => {
    const { seq, hash } = request.query;
    return verifyLog(deps.db, authOf(request).establishmentId, seq !== undefined && hash !== undefined ? { seq, hash } : null);
  });

  // The chain's head now, as a file to keep away from the server: verifying against it later
  // shows whether anything up to it was removed or rewritten, even by someone with the database.
  api.get('/api/audit/checkpoint', { config: { access: ['admin'] } }, async (request, reply) => {
    const checkpoint = await auditCheckpoint(deps.db, authOf(request).establishmentId, deps.clock.now());
    const day = checkpoint.at.slice(0, 10);
    void reply.header('content-disposition', `attachment; filename="wingcheck-audit-checkpoint-${day}-${checkpoint.seq}.json"`);
    return checkpoint;
  });
}
