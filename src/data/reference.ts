/**
 * The establishment's reference data kept on the device for offline work: units, plans with their
 * concerns and actions, check templates and schedules. Replaced as a whole on each refresh, in one
 * transaction, so screens never see half of one refresh and half of another.
 */
import type { Unit } from '../shared/api/admin.ts';
import type { Schedule, TemplateVersionRecord } from '../shared/api/capture.ts';
import type { PlanDetail } from '../shared/api/plans.ts';
import { db, type ActionRow, type RecommendationRow } from './db.ts';
import { stillSignedIn } from './session-store.ts';

export interface ReferenceSnapshot {
  establishmentId: string;
  units: Unit[];
  plans: PlanDetail[];
  templates: TemplateVersionRecord[];
  schedules: Schedule[];
}

export async function saveReference(snapshot: ReferenceSnapshot, at: Date): Promise<void> {
  const recommendations: RecommendationRow[] = [];
  const actions: ActionRow[] = [];
  for (const plan of snapshot.plans) {
    for (const [position, rec] of plan.recommendations.entries()) {
      recommendations.push({
        id: rec.id,
        planId: plan.id,
        ref: rec.ref,
        position,
        section: null,
        category: rec.category,
        concern: rec.concern,
        recommendation: rec.recommendation,
      });
      for (const [actionPosition, action] of rec.actions.entries()) {
        actions.push({ ...action, planId: plan.id, recommendationId: rec.id, position: actionPosition });
      }
    }
  }
  const tables = [db.units, db.plans, db.recommendations, db.actions, db.templates, db.schedules, db.meta];
  await db.transaction('rw', tables, async () => {
    if (!(await stillSignedIn(snapshot.establishmentId))) return;
    for (const table of tables) if (table !== db.meta) await table.clear();
    await db.units.bulkPut(snapshot.units.map((u) => ({ ...u, establishmentId: snapshot.establishmentId })));
    const { establishmentId } = snapshot;
    await db.plans.bulkPut(snapshot.plans.map(({ id, title, version }) => ({ id, establishmentId, title, version })));
    await db.recommendations.bulkPut(recommendations);
    await db.actions.bulkPut(actions);
    await db.templates.bulkPut(snapshot.templates);
    await db.schedules.bulkPut(snapshot.schedules);
    await db.meta.put({ key: 'referenceRefreshedAt', value: at.toISOString() });
  });
}
