/**
 * The review read model (one action's evidence timeline, a plan's overview) and the head of
 * residence's decisions on evidence. routes/review.ts parses, authorises and calls these.
 */
import type { ActionDetail, ActionDetailQuery, PlanOverview, Review, ReviewRequest } from '../../../src/shared/api/review.ts';
import { signOffsOf } from './sign-off.ts';
import type { Actor } from '../audit-request.ts';
import type { AuthContext } from '../auth/sessions.ts';
import type { Db, Queryable } from '../db/client.ts';
import { forbidden, notFound } from '../http-errors.ts';
import { notInMyEstablishment } from '../scope.ts';
import { ACTION_REF_SQL } from './action-ref.ts';
import { ACTION_COLUMNS, actionFromRow, type ActionRow } from './actions.ts';
import { recordReview } from './reviews.ts';
import { loadChecks, loadReviews } from './sync.ts';
import { handlers } from '../endpoint-handlers.ts';

/** The evidence timeline of one action: its checks and notes, newest first, a page at a time, with review decisions. */
export async function actionDetail(
  db: Queryable,
  auth: AuthContext,
  actionId: string,
  query: ActionDetailQuery,
): Promise<ActionDetail> {
  const [row] = await db.query<ActionRow & { plan_id: string; plan_title: string; concern_ref: string; concern: string | null }>(
    `SELECT ${ACTION_COLUMNS}, p.id AS plan_id, p.title AS plan_title, r.ref AS concern_ref,
          COALESCE(r.concern, r.recommendation) AS concern
   FROM actions a JOIN recommendations r ON r.id = a.recommendation_id JOIN plans p ON p.id = r.plan_id
   LEFT JOIN users u ON u.id = a.assignee_id
   WHERE a.id = $1 AND p.establishment_id = $2`,
    [actionId, auth.establishmentId],
  );
  if (!row) {
    const [elsewhere] = await db.query('SELECT 1 FROM actions WHERE id = $1', [actionId]);
    throw elsewhere ? forbidden('That action belongs to another establishment.') : notFound('Action');
  }
  const action = actionFromRow(row);
  const { before, limit } = query;
  // Keyset paging on (submitted_at, id): a `before` that is not this action's evidence gives an empty page.
  const ids = await db.query<{ check_id: string }>(
    `SELECT ca.check_id FROM check_actions ca JOIN checks c ON c.id = ca.check_id
   WHERE ca.action_id = $1
     AND ($2::uuid IS NULL OR (c.submitted_at, c.id) < (SELECT b.submitted_at, b.id FROM check_actions bca JOIN checks b ON b.id = bca.check_id
                                                       WHERE bca.action_id = $1 AND b.id = $2::uuid))
   ORDER BY c.submitted_at DESC, c.id DESC LIMIT $3`,
    [action.id, before ?? null, limit],
  );
  const [counts] = await db.query<{ total: number; accepted: number }>(
    `SELECT count(*)::int AS total,
          count(*) FILTER (WHERE (SELECT r.decision FROM reviews r WHERE r.check_id = ca.check_id
                                  ORDER BY r.reviewed_at DESC, r.id DESC LIMIT 1) = 'accepted')::int AS accepted
   FROM check_actions ca WHERE ca.action_id = $1`,
    [action.id],
  );
  const checkIds = ids.map((r) => r.check_id);
  const [checks, reviews, signOffs] = await Promise.all([
    loadChecks(db, auth.establishmentId, checkIds),
    loadReviews(db, auth.establishmentId, { checkIds }),
    signOffsOf(db, auth.establishmentId, [action.id]),
  ]);
  const order = new Map(checkIds.map((id, i) => [id, i]));
  checks.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
  return {
    id: action.id,
    planId: row.plan_id,
    planTitle: row.plan_title,
    ref: action.ref,
    concernRef: row.concern_ref,
    concern: row.concern,
    text: action.text,
    owner: action.owner,
    target: action.target,
    due: action.due,
    status: action.status,
    version: action.version,
    assigneeName: action.assigneeName,
    evidenceTotal: counts?.total ?? 0,
    acceptedEvidence: counts?.accepted ?? 0,
    evidence: checks.map((c) => ({ ...c, reviews: reviews.filter((r) => r.checkId === c.id) })),
    signOff: signOffs.get(action.id) ?? null,
  };
}

/** Accepts or returns a piece of evidence. Append-only: a later decision stands, the earlier stays. */
export async function reviewEvidence(db: Db, actor: Actor, id: string, request: ReviewRequest): Promise<Review> {
  const { auth } = actor;
  const [check] = await db.query<{ establishment_id: string }>('SELECT establishment_id FROM checks WHERE id = $1', [id]);
  if (!check) throw notFound('Evidence');
  if (check.establishment_id !== auth.establishmentId) throw forbidden('That evidence belongs to another establishment.');
  const reviewId = await recordReview(db, {
    establishmentId: auth.establishmentId,
    reviewerId: auth.userId,
    deviceId: actor.deviceId,
    checkId: id,
    decision: request.decision,
    reason: request.reason,
    now: actor.now,
  });
  const [review] = await loadReviews(db, auth.establishmentId, { ids: [reviewId] });
  if (!review) throw notFound('Review');
  return review;
}

/** An action's row with its concern and what the overview adds: how much evidence, when last, from which units. */
type OverviewRow = ActionRow & {
  concern_ref: string;
  category: string | null;
  evidence_count: number;
  last_evidence_at: Date | null;
  unit_ids: string[];
};

/** Every live action of a plan with its evidence count and last evidence: the overview to filter. */
export async function planOverview(db: Queryable, auth: AuthContext, planId: string): Promise<PlanOverview> {
  const [plan] = await db.query<{ id: string; title: string }>('SELECT id, title FROM plans WHERE id = $1 AND establishment_id = $2', [
    planId,
    auth.establishmentId,
  ]);
  if (!plan) throw await notInMyEstablishment(db, 'plans', planId, 'Plan', 'That plan belongs to another establishment.');
  const rows = await db.query<OverviewRow>(
    // One pass over the plan's evidence, grouped, rather than three subqueries per action: with
    // 500 actions and 50,000 checks those took over a second, and on PostgreSQL their cost
    // estimate also set off JIT compilation on every call (npm run bench:overview).
    // Grouping by unit first keeps the distinct units to a hash aggregate instead of a sort.
    `WITH plan_actions AS (
       SELECT a.id, ${ACTION_REF_SQL} AS ref, r.ref AS concern_ref, r.category, a.text, a.owner, a.assignee_id, a.target, a.due, a.status,
              a.version, r.position AS rec_position, a.position
       FROM actions a JOIN recommendations r ON r.id = a.recommendation_id
       WHERE r.plan_id = $1 AND a.status <> 'archived'
     ), per_unit AS (
       SELECT ca.action_id, c.unit_id, count(*) AS n, max(c.submitted_at) AS last_at
       FROM check_actions ca JOIN checks c ON c.id = ca.check_id
       WHERE ca.action_id IN (SELECT id FROM plan_actions)
       GROUP BY ca.action_id, c.unit_id
     ), evidence AS (
       SELECT action_id, sum(n)::int AS evidence_count, max(last_at) AS last_evidence_at,
              array_agg(unit_id ORDER BY unit_id) FILTER (WHERE unit_id IS NOT NULL) AS unit_ids
       FROM per_unit GROUP BY action_id
     )
     SELECT pa.id, pa.ref, pa.concern_ref, pa.category, pa.text, pa.owner, pa.assignee_id, u.display_name AS assignee_name, pa.target,
            to_char(pa.due, 'YYYY-MM-DD') AS due, pa.status, pa.version, COALESCE(e.evidence_count, 0) AS evidence_count,
            e.last_evidence_at, COALESCE(e.unit_ids, '{}') AS unit_ids
     FROM plan_actions pa LEFT JOIN evidence e ON e.action_id = pa.id LEFT JOIN users u ON u.id = pa.assignee_id
     ORDER BY pa.rec_position, pa.position`,
    [plan.id],
  );
  return {
    planId: plan.id,
    title: plan.title,
    actions: rows.map((r) => {
      const a = actionFromRow(r);
      return {
        id: a.id,
        ref: a.ref,
        concernRef: r.concern_ref,
        category: r.category,
        text: a.text,
        owner: a.owner,
        assigneeId: a.assigneeId,
        assigneeName: a.assigneeName,
        target: a.target,
        due: a.due,
        status: a.status,
        evidenceCount: r.evidence_count,
        lastEvidenceAt: r.last_evidence_at?.toISOString() ?? null,
        unitIds: r.unit_ids,
      };
    }),
  };
}

export const reviewHandlers = handlers({
  // The evidence timeline of one action: its checks and notes, newest first, a page at a time, with review decisions.
  'actions.get': ({ params, query }, { deps, auth }) => actionDetail(deps.db, auth(), params.id, query),
  // Accept or return a piece of evidence. Append-only: a later decision stands, the earlier stays.
  'checks.review': ({ params, body }, { deps, actor }) => reviewEvidence(deps.db, actor(), params.id, body),
  // Every live action of a plan with its evidence count and last evidence: the overview to filter.
  'plans.overview': ({ params }, { deps, auth }) => planOverview(deps.db, auth(), params.id),
});
