import { newId } from '../../../src/shared/ids.ts';
import { diffPlan, type StoredAction } from '../../../src/shared/plan-import/diff.ts';
import type { ParsedAction, ParsedPlan, ParsedRecommendation } from '../../../src/shared/plan-import/schema.ts';
import type { Queryable, SqlParam } from '../db/client.ts';

const INSERT_RECOMMENDATION = `INSERT INTO recommendations
  (id, plan_id, ref, position, section, category, concern, recommendation, agreement, directed_to)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`;

const recommendationValues = (id: string, planId: string, rec: ParsedRecommendation, position: number): SqlParam[] => [
  id, planId, rec.ref, position, rec.section, rec.category, rec.concern, rec.recommendation, rec.agreement, rec.directedTo,
];

const INSERT_ACTION = `INSERT INTO actions (id, recommendation_id, position, text, owner, target, due, complete, status)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`;

// A plan that says an action is "Complete" is the establishment's claim, not proof: the action
// starts not started like any other, and `complete` keeps what the plan said. It becomes complete
// when the head of residence says so, on accepted evidence or with a reason (see completionProblem).
const actionValues = (recommendationId: string, action: ParsedAction, position: number): SqlParam[] => [
  newId(), recommendationId, position, action.text, action.owner, action.target, action.due, action.complete, 'not-started',
];

export interface PlanMeta {
  title: string;
  sourceFile: string;
  submittedOn?: string | null;
  publishedOn?: string | null;
}

/**
 * Stores a parsed plan for an establishment, in the caller's transaction, keeping the published
 * order of concerns and actions. Returns the new plan's id.
 */
export async function insertPlan(tx: Queryable, establishmentId: string, plan: ParsedPlan, meta: PlanMeta): Promise<string> {
  const planId = newId();
  await tx.query(
    `INSERT INTO plans (id, establishment_id, title, source_file, submitted_on, published_on)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [planId, establishmentId, meta.title, meta.sourceFile, meta.submittedOn ?? null, meta.publishedOn ?? null],
  );
  for (const [position, rec] of plan.recommendations.entries()) {
    const recommendationId = newId();
    await tx.query(INSERT_RECOMMENDATION, recommendationValues(recommendationId, planId, rec, position));
    for (const [actionPosition, action] of rec.actions.entries()) {
      await tx.query(INSERT_ACTION, actionValues(recommendationId, action, actionPosition));
    }
  }
  return planId;
}

export interface RevisionResult {
  version: number;
  added: number;
  changed: number;
  archived: number;
  unchanged: number;
}

/** The plan's live (not archived) actions with their concern's ref, for comparing a revision. */
export async function storedActions(db: Queryable, planId: string): Promise<StoredAction[]> {
  return db.query<StoredAction>(
    `SELECT a.id, r.ref, a.text, a.owner, a.target FROM actions a JOIN recommendations r ON r.id = a.recommendation_id
     WHERE r.plan_id = $1 AND a.status <> 'archived' ORDER BY r.position, a.position`,
    [planId],
  );
}

/**
 * Applies a revised version of a stored plan, in the caller's transaction. Actions that still
 * exist keep their id (and so their assignment and evidence); new ones are added; ones the
 * revision dropped are archived, never deleted. The comparison is made here, on what is stored
 * now, not trusted from the client.
 */
export async function revisePlan(tx: Queryable, planId: string, revised: ParsedPlan, now: Date): Promise<RevisionResult> {
  await tx.query('SELECT id FROM plans WHERE id = $1 FOR UPDATE', [planId]);
  const diff = diffPlan(await storedActions(tx, planId), revised);

  const recIds = new Map<string, string>();
  for (const [position, rec] of revised.recommendations.entries()) {
    const [row] = await tx.query<{ id: string }>(
      `${INSERT_RECOMMENDATION}
       ON CONFLICT (plan_id, ref) DO UPDATE SET position = EXCLUDED.position, section = EXCLUDED.section,
         category = EXCLUDED.category, concern = EXCLUDED.concern, recommendation = EXCLUDED.recommendation,
         agreement = EXCLUDED.agreement, directed_to = EXCLUDED.directed_to, archived_at = NULL
       RETURNING id`,
      recommendationValues(newId(), planId, rec, position),
    );
    if (row) recIds.set(rec.ref, row.id);
  }
  const refs = revised.recommendations.map((r) => r.ref);
  await tx.query('UPDATE recommendations SET archived_at = $3 WHERE plan_id = $1 AND NOT (ref = ANY($2)) AND archived_at IS NULL', [
    planId,
    refs,
    now,
  ]);

  // Live positions are unique per concern: park every live action below zero, then number them
  // afresh. Those the revision drops stay parked at -(their number): archived, still named by it.
  await tx.query(
    'UPDATE actions SET position = -position - 1 WHERE position >= 0 AND recommendation_id IN (SELECT id FROM recommendations WHERE plan_id = $1)',
    [planId],
  );
  for (const { id, index } of diff.unchanged) await tx.query('UPDATE actions SET position = $2 WHERE id = $1', [id, index]);
  for (const { id, index, after } of diff.changed) {
    await tx.query(
      `UPDATE actions SET position = $2, text = $3, owner = $4, target = $5, due = $6, complete = $7, version = version + 1
       WHERE id = $1`,
      [id, index, after.text, after.owner, after.target, after.due, after.complete],
    );
  }
  for (const { ref, index, action } of diff.added) {
    await tx.query(INSERT_ACTION, actionValues(recIds.get(ref) ?? '', action, index));
  }
  for (const { id } of diff.removed) await tx.query("UPDATE actions SET status = 'archived', version = version + 1 WHERE id = $1", [id]);
  const [plan] = await tx.query<{ version: number }>('UPDATE plans SET version = version + 1 WHERE id = $1 RETURNING version', [planId]);
  return {
    version: plan?.version ?? 0,
    added: diff.added.length,
    changed: diff.changed.length,
    archived: diff.removed.length,
    unchanged: diff.unchanged.length,
  };
}
