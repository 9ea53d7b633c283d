/** Live views of the device's store for the capture screens: each re-renders when its data changes. */
import Dexie from 'dexie';
import type { ActionRow, CheckRow, OutboxRow, PhotoRow, RecommendationRow, ReviewRow, ScheduleRow, TemplateRow, UnitRow } from './db.ts';

export type { CheckRow, OutboxRow, PhotoRow, ReviewRow, TemplateRow, UnitRow } from './db.ts';
import { actionRef } from '../shared/action-ref.ts';
import { db } from './db.ts';
import { useLiveQuery } from './live.ts';

export interface ReferenceData {
  units: UnitRow[];
  templates: TemplateRow[];
  schedules: ScheduleRow[];
}

export function useReferenceData(): ReferenceData | undefined {
  return useLiveQuery(async () => {
    const [units, templates, schedules] = await Promise.all([db.units.orderBy('id').toArray(), db.templates.toArray(), db.schedules.toArray()]);
    units.sort((a, b) => a.name.localeCompare(b.name, 'en-GB', { numeric: true }));
    return { units, templates, schedules };
  });
}

/** An action with its reference ("1.3", see actionRef), as every screen names it. */
export type ActionWithRef = ActionRow & { ref: string };

async function withRefs(actions: ActionRow[]): Promise<ActionWithRef[]> {
  const recs = await db.recommendations.bulkGet([...new Set(actions.map((a) => a.recommendationId))]);
  const byId = new Map(recs.filter((r): r is RecommendationRow => r !== undefined).map((r) => [r.id, r]));
  return actions.map((a) => ({ ...a, ref: actionRef(byId.get(a.recommendationId)?.ref ?? '?', a.position) }));
}

export function useAssignedActions(userId: string): ActionWithRef[] | undefined {
  return useLiveQuery(async () => {
    const actions = await db.actions.where('assigneeId').equals(userId).toArray();
    const live = actions.filter((a) => a.status !== 'archived');
    live.sort((a, b) => (a.due ?? '9999').localeCompare(b.due ?? '9999'));
    return withRefs(live);
  }, [userId]);
}

/** Every live action in plan order, for linking evidence to any of them. */
export function useAllActions(): ActionWithRef[] | undefined {
  return useLiveQuery(async () => {
    const recs = await db.recommendations.toArray();
    const order = new Map(recs.map((r) => [r.id, r.position]));
    const actions = (await db.actions.toArray()).filter((a) => a.status !== 'archived');
    const place = (a: ActionRow) => order.get(a.recommendationId) ?? 0;
    actions.sort((a, b) => a.planId.localeCompare(b.planId) || place(a) - place(b) || a.position - b.position);
    return withRefs(actions);
  });
}

export function useAction(id: string): ActionWithRef | null | undefined {
  return useLiveQuery(async () => {
    const action = await db.actions.get(id);
    return action ? ((await withRefs([action]))[0] ?? null) : null;
  }, [id]);
}

/** The person's open drafts, most recently changed first. */
export function useDrafts(authorId: string): CheckRow[] | undefined {
  return useLiveQuery(async () => {
    const drafts = await db.checks.where('[status+updatedAt]').between(['draft', Dexie.minKey], ['draft', Dexie.maxKey]).reverse().toArray();
    return drafts.filter((d) => d.authorId === authorId);
  }, [authorId]);
}

/** The checks started or submitted in the last day and a half: enough to tell what of today's work is done. */
export function useRecentChecks(now: Date): CheckRow[] | undefined {
  const since = new Date(now.getTime() - 36 * 60 * 60 * 1000).toISOString();
  return useLiveQuery(async () => {
    const [drafts, submitted] = await Promise.all(
      (['draft', 'submitted'] as const).map((status) => db.checks.where('[status+updatedAt]').between([status, since], [status, Dexie.maxKey]).toArray()),
    );
    return [...(drafts ?? []), ...(submitted ?? [])];
  }, [since.slice(0, 13)]);
}

export interface CheckView {
  check: CheckRow;
  /** Review decisions on it, oldest first (the last one stands). */
  reviews: ReviewRow[];
  template: TemplateRow | undefined;
  photos: PhotoRow[];
  /** Its outbox entry while it waits (or was rejected); undefined once sent, or for a draft. */
  outbox: OutboxRow | undefined;
  /** The correction that replaced it, if any. */
  supersededBy: CheckRow | undefined;
}

export function useCheckView(id: string): CheckView | null | undefined {
  return useLiveQuery(async () => {
    const check = await db.checks.get(id);
    if (!check) return null;
    const [template, photos, outbox, supersededBy, reviews] = await Promise.all([
      check.templateVersionId ? db.templates.get(check.templateVersionId) : undefined,
      db.photos.where('checkId').equals(id).sortBy('addedAt'),
      db.outbox.where('entityId').equals(id).first(),
      db.checks.where('supersedes').equals(id).first(),
      db.reviews.where('checkId').equals(id).sortBy('reviewedAt'),
    ]);
    return { check, template, photos, outbox, supersededBy, reviews };
  }, [id]);
}

/** Evidence recorded on this device for an action. */
export function useEvidenceFor(actionId: string): CheckRow[] | undefined {
  return useLiveQuery(async () => {
    const rows = await db.checks.where('actionIds').equals(actionId).toArray();
    return rows.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  }, [actionId]);
}

/** When the reference data was last fetched (ISO), null if never on this device, undefined while loading. */
export function useReferenceRefreshedAt(): string | null | undefined {
  return useLiveQuery(async () => {
    const row = await db.meta.get('referenceRefreshedAt');
    return typeof row?.value === 'string' ? row.value : null;
  });
}
