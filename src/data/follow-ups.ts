/**
 * What follows up a person's submitted work, for Today: what they sent lately from this device
 * with its sync state and review, and what the head of residence returned to them.
 */
import Dexie from 'dexie';
import { currentDecision } from '../shared/status.ts';
import { db, type CheckRow, type OutboxRow, type ReviewRow } from './db.ts';
import { useLiveQuery } from './live.ts';

export interface SubmittedItem {
  check: CheckRow;
  outbox: OutboxRow | undefined;
  /** The head of residence's decision that stands on it, once pulled. */
  decision: ReviewRow | null;
}

/** What the person submitted lately on this device, with whether each has been sent and how it was reviewed. */
export function useRecentSubmitted(authorId: string, limit = 20): SubmittedItem[] | undefined {
  return useLiveQuery(async () => {
    const mine: CheckRow[] = [];
    // Evidence pulled from the server (`remote`) was made on another device, even when it is the same person's.
    await db.checks
      .where('[status+updatedAt]')
      .between(['submitted', Dexie.minKey], ['submitted', Dexie.maxKey])
      .reverse()
      .until(() => mine.length >= limit)
      .each((row) => {
        if (row.authorId === authorId && !row.remote) mine.push(row);
      });
    const ids = mine.map((r) => r.id);
    const [outbox, reviews] = await Promise.all([db.outbox.where('entityId').anyOf(ids).toArray(), db.reviews.where('checkId').anyOf(ids).toArray()]);
    return mine.map((check) => ({
      check,
      outbox: outbox.find((o) => o.entityId === check.id),
      decision: currentDecision(reviews.filter((r) => r.checkId === check.id)),
    }));
  }, [authorId, limit]);
}

export interface ReturnedItem {
  check: CheckRow;
  decision: ReviewRow;
  /** The person's correction started but not yet submitted, to carry on with. */
  correctionDraftId: string | null;
}

/**
 * Evidence of this person's that the head of residence returned and that nobody has corrected
 * yet, newest decision first: it heads their Today until they correct it.
 */
export function useReturnedToMe(authorId: string): ReturnedItem[] | undefined {
  return useLiveQuery(async () => {
    const reviews = await db.reviews.toArray();
    const byCheck = new Map<string, ReviewRow[]>();
    for (const r of reviews) byCheck.set(r.checkId, [...(byCheck.get(r.checkId) ?? []), r]);
    const returned = [...byCheck].flatMap(([checkId, list]) => {
      const decision = currentDecision(list);
      return decision?.decision === 'returned' ? [{ checkId, decision }] : [];
    });
    const ids = returned.map((r) => r.checkId);
    const [checks, corrections] = await Promise.all([db.checks.bulkGet(ids), db.checks.where('supersedes').anyOf(ids).toArray()]);
    const items: ReturnedItem[] = [];
    returned.forEach(({ decision }, i) => {
      const check = checks[i];
      if (check?.authorId !== authorId) return;
      const corrected = corrections.filter((c) => c.supersedes === check.id);
      if (corrected.some((c) => c.status === 'submitted')) return;
      items.push({ check, decision, correctionDraftId: corrected.find((c) => c.authorId === authorId)?.id ?? null });
    });
    return items.sort((a, b) => b.decision.reviewedAt.localeCompare(a.decision.reviewedAt));
  }, [authorId]);
}
