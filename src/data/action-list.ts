/**
 * The plan's actions as the device knows them, for the Actions screen and an action's own page:
 * read only from IndexedDB (the reference data and the evidence pulled from the server), so both
 * work with no signal.
 */
import Dexie from 'dexie';
import { EVIDENCE_PAGE, type ActionDetail, type Review } from '../shared/api/review.ts';
import { actionRef } from '../shared/action-ref.ts';
import type { PhotoRef, SettableActionStatus } from '../shared/mutations.ts';
import { currentDecision } from '../shared/status.ts';
import { db, type ActionRow, type CheckRow, type ReviewRow } from './db.ts';
import { useLiveQuery } from './live.ts';

export interface ActionListItem extends ActionRow {
  /** "1.3": see actionRef. */
  ref: string;
  planTitle: string;
  concernRef: string;
  /** The concern's (or recommendation's) published text. */
  concern: string | null;
  category: string | null;
  /** Submitted evidence linked to it that this device holds: its own and what it pulled. */
  evidenceCount: number;
  /** The newest review decision on any of that evidence. */
  latestDecision: ReviewRow | null;
  /** A status change made on this device that has not reached the server yet. */
  pendingStatus: SettableActionStatus | null;
}

interface EvidenceFacts {
  /** Submitted evidence linked to each action. */
  counts: Map<string, number>;
  /** The newest standing decision on any of an action's evidence. */
  decisions: Map<string, ReviewRow>;
}

/**
 * How much evidence each action has on this device, and its latest decision, without reading the
 * checks themselves (a device keeps every check of the establishment: tens of thousands in a year):
 * a count on the actions index per action, less the few drafts, and only the reviewed checks read.
 */
async function evidenceFacts(actionIds: readonly string[], reviews: readonly ReviewRow[]): Promise<EvidenceFacts> {
  const [drafts, totals] = await Promise.all([
    db.checks.where('[status+updatedAt]').between(['draft', Dexie.minKey], ['draft', Dexie.maxKey]).toArray(),
    Promise.all(actionIds.map((id) => db.checks.where('actionIds').equals(id).count())),
  ]);
  const counts = new Map(actionIds.map((id, i) => [id, totals[i] ?? 0]));
  for (const draft of drafts) {
    for (const id of new Set(draft.actionIds)) {
      const count = counts.get(id);
      if (count !== undefined) counts.set(id, count - 1);
    }
  }
  const byCheck = new Map<string, ReviewRow[]>();
  for (const review of reviews) byCheck.set(review.checkId, [...(byCheck.get(review.checkId) ?? []), review]);
  const checkIds = [...byCheck.keys()];
  const reviewed = await db.checks.bulkGet(checkIds);
  const decisions = new Map<string, ReviewRow>();
  reviewed.forEach((check, i) => {
    const standing = currentDecision(byCheck.get(checkIds[i] ?? '') ?? []);
    if (!check || !standing) return;
    for (const id of check.actionIds) {
      const latest = decisions.get(id);
      if (!latest || standing.reviewedAt > latest.reviewedAt) decisions.set(id, standing);
    }
  });
  return { counts, decisions };
}

/** Status changes waiting in the outbox, by action: the last one made wins. */
async function pendingStatuses(): Promise<Map<string, SettableActionStatus>> {
  const pending = new Map<string, SettableActionStatus>();
  await db.outbox.orderBy('seq').each((row) => {
    if (row.type === 'action.set-status' && row.state === 'waiting') pending.set(row.payload.actionId, row.payload.status);
  });
  return pending;
}

/** The live actions of the establishment's plans (or just these), in plan order, with what the device knows of their evidence. */
export async function listActions(only?: string): Promise<ActionListItem[]> {
  const [all, recs, plans, reviews, pending] = await Promise.all([
    only === undefined ? db.actions.toArray() : db.actions.where('id').equals(only).toArray(),
    db.recommendations.toArray(),
    db.plans.toArray(),
    db.reviews.toArray(),
    pendingStatuses(),
  ]);
  const actions = all.filter((a) => a.status !== 'archived');
  const { counts, decisions } = await evidenceFacts(actions.map((a) => a.id), reviews);
  const recById = new Map(recs.map((r) => [r.id, r]));
  const planById = new Map(plans.map((p) => [p.id, p]));
  const planOrder = new Map(plans.map((p, i) => [p.id, i]));
  const items = actions
    .map((action): ActionListItem => {
      const rec = recById.get(action.recommendationId);
      return {
        ...action,
        ref: actionRef(rec?.ref ?? '?', action.position),
        planTitle: planById.get(action.planId)?.title ?? '',
        concernRef: rec?.ref ?? '?',
        concern: rec?.concern ?? rec?.recommendation ?? null,
        category: rec?.category ?? null,
        evidenceCount: counts.get(action.id) ?? 0,
        latestDecision: decisions.get(action.id) ?? null,
        pendingStatus: pending.get(action.id) ?? null,
      };
    });
  const place = (a: ActionListItem) => recById.get(a.recommendationId)?.position ?? 0;
  const planPlace = (a: ActionListItem) => planOrder.get(a.planId) ?? 0;
  items.sort((a, b) => planPlace(a) - planPlace(b) || place(a) - place(b) || a.position - b.position);
  return items;
}

export function useActionList(): ActionListItem[] | undefined {
  return useLiveQuery(() => listActions());
}

export interface ActionEvidence {
  check: CheckRow;
  reviews: ReviewRow[];
  /** The correction that replaced it, if this device has it. */
  supersededBy: string | null;
}

export interface ActionView {
  action: ActionListItem;
  /** Newest first. */
  evidence: ActionEvidence[];
}

async function viewAction(id: string): Promise<ActionView | null> {
  const [action] = await listActions(id);
  if (!action) return null;
  const checks = (await db.checks.where('actionIds').equals(id).toArray()).filter((c) => c.status === 'submitted');
  const ids = checks.map((c) => c.id);
  const [reviews, corrections] = await Promise.all([
    db.reviews.where('checkId').anyOf(ids).toArray(),
    db.checks.where('supersedes').anyOf(ids).toArray(),
  ]);
  const evidence = checks
    .map((check): ActionEvidence => ({
      check,
      reviews: reviews.filter((r) => r.checkId === check.id).sort((a, b) => a.reviewedAt.localeCompare(b.reviewedAt)),
      supersededBy: corrections.find((c) => c.supersedes === check.id && c.status === 'submitted')?.id ?? null,
    }))
    .sort((a, b) => (b.check.submittedAt ?? '').localeCompare(a.check.submittedAt ?? ''));
  return { action, evidence };
}

/** One action with its evidence on this device; null when the device does not have it. */
export function useActionView(id: string): ActionView | null | undefined {
  return useLiveQuery(() => viewAction(id), [id]);
}

/**
 * An action's review page made from what this device holds, for when it is offline and the page
 * was never fetched: the plan's copy of the action and the evidence it pulled. Photos are named
 * as the server has them; the device's own evidence lists the photos it keeps.
 */
export async function actionDetailFromDevice(id: string, me: { id: string; displayName: string }): Promise<ActionDetail | null> {
  const view = await viewAction(id);
  if (!view) return null;
  const { action } = view;
  const photos = await db.photos.where('checkId').anyOf(view.evidence.filter((e) => !e.check.remote).map((e) => e.check.id)).toArray();
  return {
    id: action.id,
    planId: action.planId,
    planTitle: action.planTitle,
    ref: action.ref,
    concernRef: action.concernRef,
    concern: action.concern,
    text: action.text,
    owner: action.owner,
    target: action.target,
    due: action.due,
    status: action.status,
    version: action.version,
    assigneeName: action.assigneeName ?? null,
    evidenceTotal: view.evidence.length,
    acceptedEvidence: view.evidence.filter((e) => currentDecision(e.reviews)?.decision === 'accepted').length,
    // A sign-off is checked against the evidence on the server: the device cannot say it still holds.
    signOff: null,
    // The newest page, as the server would send it: older evidence is read with a connection.
    evidence: view.evidence.slice(0, EVIDENCE_PAGE).map(({ check, reviews }) => {
      const submittedAt = check.submittedAt ?? check.updatedAt;
      const own: PhotoRef[] = photos
        .filter((p) => p.checkId === check.id)
        .map((p) => ({
          sha256: p.sha256, mime: p.mime, size: p.size, width: p.width, height: p.height, itemId: p.itemId,
          ...(p.redacted ? { redacted: true } : {}),
        }));
      return {
        id: check.id,
        kind: check.kind,
        templateVersionId: check.templateVersionId,
        scheduleId: check.scheduleId,
        dueOn: check.dueOn,
        unitId: check.unitId,
        landing: check.landing,
        authorId: check.authorId,
        authorName: check.remote?.authorName ?? (check.authorId === me.id ? me.displayName : 'Someone on this device'),
        actionIds: check.actionIds,
        answers: check.answers,
        note: check.note,
        photos: check.remote?.photos ?? own,
        startedAt: check.startedAt,
        submittedAt,
        receivedAt: check.remote?.receivedAt ?? submittedAt,
        supersedes: check.supersedes,
        presence: check.presence ?? null,
        reviews: reviews satisfies Review[],
      };
    }),
  };
}
