import { newId } from '../../../src/shared/ids.ts';
import type { ParsedPlan } from '../../../src/shared/plan-import/schema.ts';
import type { Queryable } from '../db/client.ts';

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
    await tx.query(
      `INSERT INTO recommendations (id, plan_id, ref, position, section, category, concern, recommendation, agreement, directed_to)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        recommendationId, planId, rec.ref, position, rec.section, rec.category,
        rec.concern, rec.recommendation, rec.agreement, rec.directedTo,
      ],
    );
    for (const [actionPosition, action] of rec.actions.entries()) {
      await tx.query(
        `INSERT INTO actions (id, recommendation_id, position, text, owner, target, due, complete, status)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          newId(),
          recommendationId,
          actionPosition,
          action.text,
          action.owner,
          action.target,
          action.due,
          action.complete,
          action.complete ? 'complete' : 'not-started',
        ],
      );
    }
  }
  return planId;
}
