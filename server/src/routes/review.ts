import type { FastifyInstance } from 'fastify';
import { IdParams } from '../../../src/shared/api/admin.ts';
import { ActionDetailQuery, ReviewRequest, type ActionDetail, type PlanOverview, type Review } from '../../../src/shared/api/review.ts';
import type { AppDeps } from '../app.ts';
import { actorOf } from '../audit-request.ts';
import { authOf } from '../auth/guard.ts';
import { actionDetail, planOverview, reviewEvidence } from '../services/review-read.ts';
import type { ZodTypeProvider } from '../validation.ts';

const REVIEWERS = ['head-of-residence'] as const;

export function reviewRoutes(app: FastifyInstance, deps: AppDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  // The evidence timeline of one action: its checks and notes, newest first, a page at a time, with review decisions.
  api.get(
    '/api/actions/:id',
    { config: { access: 'signed-in' }, schema: { params: IdParams, querystring: ActionDetailQuery } },
    async (request): Promise<ActionDetail> => actionDetail(deps.db, authOf(request), request.params.id, request.query),
  );

  // Accept or return a piece of evidence. Append-only: a later decision stands, the earlier stays.
  api.post(
    '/api/checks/:id/reviews',
    { config: { access: [...REVIEWERS] }, schema: { params: IdParams, body: ReviewRequest } },
    async (request, reply): Promise<Review> =>
      reply.code(201).send(await reviewEvidence(deps.db, actorOf(request, deps.clock), request.params.id, request.body)),
  );

  // Every live action of a plan with its evidence count and last evidence: the overview to filter.
  api.get('/api/plans/:id/overview', { config: { access: 'signed-in' }, schema: { params: IdParams } }, async (request): Promise<PlanOverview> =>
    planOverview(deps.db, authOf(request), request.params.id));
}
