/** Live views of the device's store for the capture screens: each re-renders when its data changes. */
import Dexie from 'dexie';
import type { ActionRow, CheckRow, OutboxRow, PhotoRow, RecommendationRow, ReviewRow, ScheduleRow, TemplateRow, UnitRow } from './db.ts';

export type { CheckRow, OutboxRow, PhotoRow, ReviewRow, TemplateRow, UnitRow } from './db.ts';
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

/** An action with the ref of its concern ("1.7"), as lists show it. */
export type ActionWithRef = ActionRow & { ref: string };

async function withRefs(actions: ActionRow[]): Promise<ActionWithRef[]> {
  const recs = await db.recommendations.bulkGet([...new Set(actions.map((a) => a.recommendationId))]);
  const byId = new Map(recs.filter((r): r is RecommendationRow => r !== undefined).map((r) => [r.id, r]));
  return actions.map((a) => ({ ...a, ref: byId.get(a.recommendationId)?.ref ?? '?' }));
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

/** The checks recorded against schedules for a local date (Today's done / in progress). */
export function useChecksDueOn(scheduleIds: readonly string[], dueOn: string): CheckRow[] | undefined {
  const key = scheduleIds.join();
  return useLiveQuery(() => db.checks.where('[scheduleId+dueOn]').anyOf(scheduleIds.map((id) => [id, dueOn])).toArray(), [key, dueOn]);
}

/** The person's open drafts, most recently changed first. */
export function useDrafts(authorId: string): CheckRow[] | undefined {
  return useLiveQuery(async () => {
    const drafts = await db.checks.where('[status+updatedAt]').between(['draft', Dexie.minKey], ['draft', Dexie.maxKey]).reverse().toArray();
    return drafts.filter((d) => d.authorId === authorId);
  }, [authorId]);
}

export interface SubmittedItem {
  check: CheckRow;
  outbox: OutboxRow | undefined;
}

/** What the person submitted lately, with whether each has been sent. */
export function useRecentSubmitted(authorId: string, limit = 20): SubmittedItem[] | undefined {
  return useLiveQuery(async () => {
    const rows = await db.checks.where('[status+updatedAt]').between(['submitted', Dexie.minKey], ['submitted', Dexie.maxKey]).reverse().limit(limit * 4).toArray();
    const mine = rows.filter((r) => r.authorId === authorId).slice(0, limit);
    const outbox = await db.outbox.where('entityId').anyOf(mine.map((r) => r.id)).toArray();
    return mine.map((check) => ({ check, outbox: outbox.find((o) => o.entityId === check.id) }));
  }, [authorId, limit]);
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
