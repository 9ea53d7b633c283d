/**
 * Stored plans as the screens read them (list, detail, who may be given actions) and the audited
 * changes made to them (import, revision, assignments). routes/plans.ts parses, authorises and calls these.
 */
import type { PlanAssignments, PlanDetail, PlanSummary, StorablePlan } from '../../../src/shared/api/plans.ts';
import { suggestAssignee } from '../../../src/shared/plan-import/assign.ts';
import { diffPlan, type PlanDiff } from '../../../src/shared/plan-import/diff.ts';
import { auditAs, type Actor } from '../audit-request.ts';
import type { AuthContext } from '../auth/sessions.ts';
import type { Db, Queryable } from '../db/client.ts';
import { HttpError } from '../http-errors.ts';
import { notInMyEstablishment } from '../scope.ts';
import { ACTION_REF_SQL } from './action-ref.ts';
import { ACTION_COLUMNS, actionFromRow, type ActionRow } from './actions.ts';
import { insertPlan, revisePlan, storedActions, type RevisionResult } from './plans.ts';
import { readBack } from './read-back.ts';
import { handlers } from '../endpoint-handlers.ts';

interface PlanRow {
  id: string;
  title: string;
  version: number;
  source_file: string | null;
  created_at: Date;
  recommendations: number;
  actions: number;
}

export async function listPlans(db: Queryable, establishmentId: string, planId?: string): Promise<PlanSummary[]> {
  const rows = await db.query<PlanRow>(
    `SELECT p.id, p.title, p.version, p.source_file, p.created_at,
            (SELECT count(*)::int FROM recommendations r WHERE r.plan_id = p.id AND r.archived_at IS NULL) AS recommendations,
            (SELECT count(*)::int FROM actions a JOIN recommendations r ON r.id = a.recommendation_id
              WHERE r.plan_id = p.id AND a.status <> 'archived') AS actions
     FROM plans p WHERE p.establishment_id = $1 AND ($2::uuid IS NULL OR p.id = $2::uuid) ORDER BY p.created_at DESC`,
    [establishmentId, planId ?? null],
  );
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    version: r.version,
    sourceFile: r.source_file,
    importedAt: r.created_at.toISOString(),
    recommendations: r.recommendations,
    actions: r.actions,
  }));
}

/** The plan, if it is the caller's establishment's: 403 for another's, 404 for none. */
export async function myPlan(db: Queryable, auth: AuthContext, planId: string): Promise<PlanSummary> {
  const [summary] = await listPlans(db, auth.establishmentId, planId);
  if (summary) return summary;
  throw await notInMyEstablishment(db, 'plans', planId, 'Plan', 'That plan belongs to another establishment.');
}

/** A plan with its live concerns and their actions, in published order. */
export async function planDetail(db: Queryable, auth: AuthContext, planId: string): Promise<PlanDetail> {
  const summary = await myPlan(db, auth, planId);
  const recs = await db.query<{
    id: string;
    ref: string;
    category: string | null;
    concern: string | null;
    recommendation: string | null;
    agreement: PlanDetail['recommendations'][number]['agreement'];
  }>(
    'SELECT id, ref, category, concern, recommendation, agreement FROM recommendations WHERE plan_id = $1 AND archived_at IS NULL ORDER BY position',
    [summary.id],
  );
  const actions = await db.query<ActionRow & { recommendation_id: string }>(
    `SELECT ${ACTION_COLUMNS}, a.recommendation_id
     FROM actions a JOIN recommendations r ON r.id = a.recommendation_id LEFT JOIN users u ON u.id = a.assignee_id
     WHERE r.plan_id = $1 AND a.status <> 'archived' ORDER BY r.position, a.position`,
    [summary.id],
  );
  return {
    ...summary,
    recommendations: recs.map((rec) => ({
      ...rec,
      actions: actions
        .filter((a) => a.recommendation_id === rec.id)
        .map(actionFromRow),
    })),
  };
}

/** Stores a plan the admin has checked; audited with its size. */
export async function importPlan(db: Db, actor: Actor, title: string, plan: StorablePlan): Promise<PlanSummary> {
  const here = actor.auth.establishmentId;
  const planId = await db.transaction(async (tx) => {
    const id = await insertPlan(tx, here, plan, { title, sourceFile: plan.source });
    const details = {
      title,
      source: plan.source,
      recommendations: plan.recommendations.length,
      actions: plan.recommendations.reduce((n, r) => n + r.actions.length, 0),
    };
    await auditAs(tx, actor, { action: 'plan.import', entityType: 'plan', entityId: id, details });
    return id;
  });
  return readBack(listPlans(db, here, planId), `plan ${planId}`);
}

/** What a revised version would change, before it is applied. */
export async function planDiff(db: Queryable, auth: AuthContext, planId: string, revised: StorablePlan): Promise<PlanDiff> {
  const summary = await myPlan(db, auth, planId);
  return diffPlan(await storedActions(db, summary.id), revised);
}

/** Applies a revised version of a plan; audited with what it changed. */
export async function revisePlanAs(db: Db, actor: Actor, planId: string, revised: StorablePlan): Promise<RevisionResult> {
  const summary = await myPlan(db, actor.auth, planId);
  return db.transaction(async (tx) => {
    const result = await revisePlan(tx, summary.id, revised, actor.now);
    await auditAs(tx, actor, { action: 'plan.revise', entityType: 'plan', entityId: summary.id, details: { source: revised.source, ...result } });
    return result;
  });
}

/** People who may be given actions here: anyone with a role in the establishment, not disabled. */
function assignable(db: Queryable, establishmentId: string) {
  return db.query<{ id: string; displayName: string; jobTitle: string | null }>(
    `SELECT DISTINCT u.id, u.display_name AS "displayName", u.job_title AS "jobTitle"
     FROM users u JOIN memberships m ON m.user_id = u.id
     WHERE m.establishment_id = $1 AND u.disabled_at IS NULL ORDER BY "displayName"`,
    [establishmentId],
  );
}

/** Who has each live action of a plan, who may, and whom the plan's owner column suggests. */
export async function planAssignments(db: Queryable, auth: AuthContext, planId: string): Promise<PlanAssignments> {
  const plan = await myPlan(db, auth, planId);
  const people = await assignable(db, auth.establishmentId);
  const actions = await db.query<Pick<ActionRow, 'id' | 'ref' | 'text' | 'owner' | 'assignee_id'>>(
    `SELECT a.id, ${ACTION_REF_SQL} AS ref, a.text, a.owner, a.assignee_id FROM actions a JOIN recommendations r ON r.id = a.recommendation_id
     WHERE r.plan_id = $1 AND a.status <> 'archived' ORDER BY r.position, a.position`,
    [plan.id],
  );
  return {
    people,
    actions: actions.map((a) => ({
      actionId: a.id,
      ref: a.ref,
      text: a.text,
      owner: a.owner,
      assigneeId: a.assignee_id,
      suggestion: suggestAssignee(a.owner, people),
    })),
  };
}

/** Gives actions to people of this establishment (or to nobody); each change audited, unchanged ones skipped. */
export async function saveAssignments(
  db: Db,
  actor: Actor,
  planId: string,
  assignments: readonly { actionId: string; assigneeId: string | null }[],
): Promise<{ updated: number }> {
  const plan = await myPlan(db, actor.auth, planId);
  const people = new Set((await assignable(db, actor.auth.establishmentId)).map((p) => p.id));
  if (assignments.some(({ assigneeId }) => assigneeId && !people.has(assigneeId))) {
    throw new HttpError(400, 'invalid_request', 'An assignee does not work in this establishment.');
  }
  const updated = await db.transaction(async (tx) => {
    let count = 0;
    for (const { actionId, assigneeId } of assignments) {
      const rows = await tx.query<{ id: string }>(
        `UPDATE actions SET assignee_id = $3, version = version + 1
         WHERE id = $1 AND assignee_id IS DISTINCT FROM $3
           AND recommendation_id IN (SELECT id FROM recommendations WHERE plan_id = $2)
         RETURNING id`,
        [actionId, plan.id, assigneeId],
      );
      if (!rows.length) continue;
      count += 1;
      await auditAs(tx, actor, { action: 'action.assign', entityType: 'action', entityId: actionId, details: { assigneeId } });
    }
    return count;
  });
  return { updated };
}

export const planHandlers = handlers({
  'plans.list': (_, { deps, auth }) => listPlans(deps.db, auth().establishmentId),
  'plans.get': ({ params }, { deps, auth }) => planDetail(deps.db, auth(), params.id),
  'plans.import': ({ body }, { deps, actor }) => importPlan(deps.db, actor(), body.title, body.plan),
  // What a revised version would change, for the admin to see before applying it.
  'plans.diff': ({ params, body }, { deps, auth }) => planDiff(deps.db, auth(), params.id, body.plan),
  'plans.revise': ({ params, body }, { deps, actor }) => revisePlanAs(deps.db, actor(), params.id, body.plan),
  'plans.assignments': ({ params }, { deps, auth }) => planAssignments(deps.db, auth(), params.id),
  'plans.saveAssignments': ({ params, body }, { deps, actor }) => saveAssignments(deps.db, actor(), params.id, body.assignments),
});
