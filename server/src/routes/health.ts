import type { FastifyInstance } from 'fastify';
import { errorBody, type ApiError } from '../../../src/shared/api/errors.ts';
import type { HealthResponse } from '../../../src/shared/api/health.ts';
import type { AppDeps } from '../app.ts';

export function healthRoutes(app: FastifyInstance, deps: AppDeps): void {
  // Public by design: load balancers and the Device page probe it without signing in.
  app.get('/api/health', { config: { access: 'public' } }, async (_request, reply): Promise<HealthResponse | ApiError> => {
    void reply.header('cache-control', 'no-store');
    try {
      await deps.db.query('SELECT 1');
    } catch (error) {
      reply.log.error({ err: error }, 'health check: database unreachable');
      return reply.code(503).send(errorBody('database_unavailable', 'The database is not answering.'));
    }
    return { status: 'ok', db: deps.db.engine, version: deps.version };
  });
}
