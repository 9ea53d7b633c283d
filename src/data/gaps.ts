/**
 * Explanations of missed checks on the device: given here (saved with their outbox entry in one
 * transaction, so an explanation is never shown as given but not sent), or pulled with the head of
 * residence's decision.
 */
import Dexie from 'dexie';
import type { GapReason } from '../shared/gap-reasons.ts';
import { newId } from '../shared/ids.ts';
import { db, type CheckRow, type GapRow, type OutboxRow } from './db.ts';
import { getClientId } from './device.ts';
import { useLiveQuery } from './live.ts';
import { newOutboxEntry } from './outbox.ts';
import { scheduledDayKey } from '../shared/cycles.ts';

export interface GapInput {
  authorId: string;
  scheduleId: string;
  unitId: string;
  dueOn: string;
  reason: GapReason;
  detail: string;
}

/**
 * Queues an explanation, checked against the shared schema first (loaded here, off the first
 * screen's bundle): an error message for the form, or null once it is saved.
 */
export async function explainGap(input: GapInput): Promise<string | null> {
  const { MutationBody, firstIssue } = await import('../shared/mutations.ts');
  const explanationId = newId();
  const explainedAt = new Date().toISOString();
  const { authorId, ...rest } = input;
  const parsed = MutationBody.safeParse({ type: 'gap.explain', payload: { explanationId, ...rest, detail: rest.detail.trim(), explainedAt } });
  if (!parsed.success) return `Not saved: ${firstIssue(parsed.error).replace(/^payload\./, '')}.`;
  if (parsed.data.type !== 'gap.explain') throw new Error('explainGap: parsed as another kind of change');
  const { payload } = parsed.data;
  const row: GapRow = {
    id: explanationId, scheduleId: payload.scheduleId, unitId: payload.unitId, dueOn: payload.dueOn, reason: payload.reason,
    detail: payload.detail, authorId, explainedAt, review: null,
  };
  const entry = newOutboxEntry(parsed.data, explanationId, await getClientId(), explainedAt);
  await db.transaction('rw', db.gaps, db.outbox, async () => {
    await db.gaps.add(row);
    await db.outbox.add(entry);
  });
  return null;
}

/** An explanation with where it stands on this device: still to send, refused by the server, or stored. */
export interface GapOnDevice {
  gap: GapRow;
  outbox: OutboxRow | undefined;
}

/** The explanation standing for each schedule, unit and day since `from` (the latest given), keyed "scheduleId/unitId/day". */
export function useStandingGaps(from: string): Map<string, GapOnDevice> | undefined {
  return useLiveQuery(async () => {
    const rows = await db.gaps.filter((g) => g.dueOn >= from).toArray();
    const outbox = await db.outbox.where('entityId').anyOf(rows.map((r) => r.id)).toArray();
    const standing = new Map<string, GapOnDevice>();
    for (const gap of rows.sort((a, b) => a.explainedAt.localeCompare(b.explainedAt))) {
      const key = scheduledDayKey({ scheduleId: gap.scheduleId, unitId: gap.unitId, date: gap.dueOn });
      standing.set(key, { gap, outbox: outbox.find((o) => o.entityId === gap.id) });
    }
    return standing;
  }, [from]);
}

/** Checks submitted (or drafted) on the device since `since` (an ISO instant): enough to tell which past days were done. */
export function useChecksSince(since: string): CheckRow[] | undefined {
  return useLiveQuery(async () => {
    const [drafts, submitted] = await Promise.all(
      (['draft', 'submitted'] as const).map((status) => db.checks.where('[status+updatedAt]').between([status, since], [status, Dexie.maxKey]).toArray()),
    );
    return [...(drafts ?? []), ...(submitted ?? [])];
  }, [since]);
}
