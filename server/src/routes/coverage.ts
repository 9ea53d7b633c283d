import type { FastifyInstance } from 'fastify';
import { CoverageQuery, type CoverageResponse } from '../../../src/shared/api/coverage.ts';
import type { AppDeps } from '../app.ts';
import { authOf } from '../auth/guard.ts';
import { coverageFor } from '../services/coverage.ts';
import type { ZodTypeProvider } from '../validation.ts';

export function coverageRoutes(app: FastifyInstance, deps: AppDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  // Expected against recorded recurring checks: the head of residence's oversight, and an admin's.
  api.get(
    '/api/coverage',
    { config: { access: ['head-of-residence', 'admin'] }, schema: { querystring: CoverageQuery } },
    async (request, reply): Promise<CoverageResponse> => {
      // Worked out from live data: an old answer would show a day missed that has since been done.
      void reply.header('cache-control', 'no-store');
      return coverageFor(deps.db, authOf(request).establishmentId, request.query, deps.clock.now());
    },
  );
}
