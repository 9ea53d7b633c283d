import type { ExplainedDay } from '../../../src/shared/coverage.ts';
import { isExpected } from '../../../src/shared/coverage.ts';
import type { GapExplanation, GapList, GapReviewRequest } from '../../../src/shared/api/gaps.ts';
import type { GapStatus } from '../../../src/shared/gap-reasons.ts';
import { hasAnyRole } from '../../../src/shared/auth.ts';
import type { ExplainGapPayload } from '../../../src/shared/mutations.ts';
import { localDateOf } from '../../../src/shared/schedules.ts';
import { auditAs, type Actor, type AuditedItem } from '../audit-request.ts';
import type { AuthContext } from '../auth/sessions.ts';
import type { Db, Queryable } from '../db/client.ts';
import { conflict, notFound } from '../http-errors.ts';
import { handlers } from '../endpoint-handlers.ts';
import { recordChange } from './changes.ts';
import { frequencyFromColumn } from './schedules.ts';

/**
 * Explained gaps: why an expected check was missed or late, given from a tablet (the `gap.explain`
 * mutation, so offline through the outbox), and the head of residence's decision on it. Coverage
 * counts a day with an accepted explanation and no check as explained, apart from missed.
 */

type Outcome = { status: 'applied' } | { status: 'rejected'; reason: string };

/** Who explains: the people who run the checks. An admin alone does not. */
const EXPLAINERS = ['unit-manager', 'duty-governor'] as const;

interface GapTarget {
  time_zone: string;
  frequency: unknown;
  starts_on: string | null;
  schedule_archived_at: Date | null;
  on_schedule: boolean;
  unit_name: string | null;
  unit_created_at: Date | null;
  unit_archived_at: Date | null;
  taken: boolean;
}

/**
 * Decides and stores one explanation inside a push's transaction, adding what to audit and log to
 * `log`. Refused with a reason a person can act on when the day is not one the check was expected
 * on that unit, or is still to come.
 */
export async function explainGap(
  tx: Queryable,
  ctx: { auth: AuthContext; clientId: string; now: Date },
  p: ExplainGapPayload,
  log: AuditedItem[],
): Promise<Outcome> {
  const { auth } = ctx;
  if (!hasAnyRole(auth.roles, EXPLAINERS)) {
    return { status: 'rejected', reason: 'Only a unit manager or duty governor can explain a missed check.' };
  }
  const [target] = await tx.query<GapTarget>(
    `SELECT e.time_zone, s.frequency, to_char(s.starts_on, 'YYYY-MM-DD') AS starts_on, s.archived_at AS schedule_archived_at,
            EXISTS (SELECT 1 FROM schedule_units su WHERE su.schedule_id = s.id AND su.unit_id = u.id) AS on_schedule,
            u.name AS unit_name, u.created_at AS unit_created_at, u.archived_at AS unit_archived_at,
            EXISTS (SELECT 1 FROM gap_explanations g WHERE g.id = $4) AS taken
     FROM establishments e
       LEFT JOIN schedules s ON s.id = $2 AND s.establishment_id = e.id
       LEFT JOIN units u ON u.id = $3 AND u.establishment_id = e.id
     WHERE e.id = $1`,
    [auth.establishmentId, p.scheduleId, p.unitId, p.explanationId],
  );
  if (!target) return { status: 'rejected', reason: 'Your establishment was not found.' };
  if (target.taken) return { status: 'rejected', reason: `Explanation ${p.explanationId} was already recorded by another change.` };
  if (target.starts_on === null || target.frequency === null) return { status: 'rejected', reason: 'Its schedule is not one of your establishment’s.' };
  if (target.unit_name === null || target.unit_created_at === null) return { status: 'rejected', reason: 'The unit is not one of your establishment’s.' };
  const localDate = (at: Date | null) => (at ? localDateOf(at, target.time_zone) : null);
  const today = localDateOf(ctx.now, target.time_zone);
  if (p.dueOn > today) return { status: 'rejected', reason: `${p.dueOn} has not come yet: only a day that has begun can be explained.` };
  const expected = isExpected(
    {
      id: p.scheduleId,
      templateId: '',
      frequency: frequencyFromColumn(target.frequency),
      unitIds: [],
      startsOn: target.starts_on,
      archivedOn: localDate(target.schedule_archived_at),
    },
    {
      id: p.unitId,
      name: target.unit_name,
      createdOn: localDate(target.unit_created_at) ?? today,
      archivedOn: localDate(target.unit_archived_at),
    },
    target.on_schedule,
    p.dueOn,
  );
  if (!expected) return { status: 'rejected', reason: `The check was not expected of ${target.unit_name} on ${p.dueOn}, so there is no gap to explain.` };
  await tx.query(
    `INSERT INTO gap_explanations (id, establishment_id, schedule_id, unit_id, due_on, reason, detail, author_id, device_id, explained_at, received_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      p.explanationId, auth.establishmentId, p.scheduleId, p.unitId, p.dueOn,
      p.reason, p.detail, auth.userId, ctx.clientId, p.explainedAt, ctx.now,
    ],
  );
  log.push(
    {
      by: { actorId: auth.userId, deviceId: ctx.clientId },
      change: {
        action: 'gap.explain',
        entityType: 'gap',
        entityId: p.explanationId,
        details: { scheduleId: p.scheduleId, unitId: p.unitId, dueOn: p.dueOn, reason: p.reason, detail: p.detail },
      },
    },
    { logged: { entity: 'gap', entityId: p.explanationId } },
  );
  return { status: 'applied' };
}

interface GapRow {
  id: string;
  schedule_id: string;
  unit_id: string;
  due_on: string;
  reason: GapExplanation['reason'];
  detail: string;
  author_id: string;
  author_name: string;
  explained_at: Date;
  received_at: Date;
  decision: 'accepted' | 'queried' | null;
  comment: string | null;
  reviewer_name: string | null;
  reviewed_at: Date | null;
  template_title: string | null;
  unit_name: string;
}

const GAP_SELECT = `SELECT g.id, g.schedule_id, g.unit_id, to_char(g.due_on, 'YYYY-MM-DD') AS due_on, g.reason, g.detail,
         g.author_id, a.display_name AS author_name, g.explained_at, g.received_at, g.decision, g.comment,
         r.display_name AS reviewer_name, g.reviewed_at, un.name AS unit_name,
         (SELECT v.definition->>'title' FROM schedules s JOIN template_versions v ON v.template_id = s.template_id
          WHERE s.id = g.schedule_id ORDER BY v.version DESC LIMIT 1) AS template_title
  FROM gap_explanations g JOIN users a ON a.id = g.author_id LEFT JOIN users r ON r.id = g.reviewer_id
    JOIN units un ON un.id = g.unit_id`;

function gapFromRow(row: GapRow): GapExplanation {
  return {
    id: row.id,
    scheduleId: row.schedule_id,
    unitId: row.unit_id,
    dueOn: row.due_on,
    reason: row.reason,
    detail: row.detail,
    authorId: row.author_id,
    authorName: row.author_name,
    explainedAt: row.explained_at.toISOString(),
    receivedAt: row.received_at.toISOString(),
    review:
      row.decision && row.reviewed_at
        ? { decision: row.decision, comment: row.comment, reviewerName: row.reviewer_name ?? 'Unknown', reviewedAt: row.reviewed_at.toISOString() }
        : null,
  };
}

/** Explanations of the establishment by id. */
export async function loadGaps(db: Queryable, establishmentId: string, ids: readonly string[]): Promise<GapExplanation[]> {
  if (ids.length === 0) return [];
  const rows = await db.query<GapRow>(`${GAP_SELECT} WHERE g.establishment_id = $1 AND g.id = ANY($2::uuid[])`, [establishmentId, [...ids]]);
  return rows.map(gapFromRow);
}

export const gapStatus = (decision: 'accepted' | 'queried' | null): GapStatus => decision ?? 'awaiting-review';

/**
 * The explanation standing for each schedule, unit and day of a period: the latest given (a queried
 * one explained again is replaced), by the device's time and then the server's.
 */
const STANDING = `SELECT DISTINCT ON (g.schedule_id, g.unit_id, g.due_on) g.id, g.schedule_id, g.unit_id,
         to_char(g.due_on, 'YYYY-MM-DD') AS due_on, g.decision
  FROM gap_explanations g WHERE g.establishment_id = $1 AND g.due_on BETWEEN $2::date AND $3::date
  ORDER BY g.schedule_id, g.unit_id, g.due_on, g.explained_at DESC, g.received_at DESC, g.id DESC`;

export interface StandingExplanation extends ExplainedDay {
  id: string;
  status: GapStatus;
}

export async function standingExplanations(
  db: Queryable,
  establishmentId: string,
  from: string,
  to: string,
): Promise<StandingExplanation[]> {
  const rows = await db.query<{ id: string; schedule_id: string; unit_id: string; due_on: string; decision: 'accepted' | 'queried' | null }>(
    STANDING,
    [establishmentId, from, to],
  );
  return rows.map((r) => ({
    id: r.id, scheduleId: r.schedule_id, unitId: r.unit_id, day: r.due_on, status: gapStatus(r.decision),
  }));
}

/** Every explanation of one schedule, unit and day, the one that stands first. */
export async function explanationsOfDay(
  db: Queryable,
  establishmentId: string,
  cell: { scheduleId: string; unitId: string; day: string },
): Promise<GapExplanation[]> {
  const rows = await db.query<GapRow>(
    `${GAP_SELECT} WHERE g.establishment_id = $1 AND g.schedule_id = $2 AND g.unit_id = $3 AND g.due_on = $4::date
     ORDER BY g.explained_at DESC, g.received_at DESC, g.id DESC`,
    [establishmentId, cell.scheduleId, cell.unitId, cell.day],
  );
  return rows.map(gapFromRow);
}

/** The most a list answers: the newest first. */
const LIST_LIMIT = 200;

/** Standing explanations, newest day first: those awaiting a decision, or all. */
export async function listGaps(db: Queryable, establishmentId: string, status: 'awaiting-review' | 'all'): Promise<GapList> {
  const rows = await db.query<GapRow>(
    `${GAP_SELECT}
     WHERE g.establishment_id = $1 AND ($2::boolean = false OR g.decision IS NULL)
       AND NOT EXISTS (SELECT 1 FROM gap_explanations later
                       WHERE later.establishment_id = g.establishment_id AND later.schedule_id = g.schedule_id
                         AND later.unit_id = g.unit_id AND later.due_on = g.due_on
                         AND (later.explained_at, later.received_at, later.id) > (g.explained_at, g.received_at, g.id))
     ORDER BY g.due_on DESC, un.name, g.id LIMIT ${LIST_LIMIT}`,
    [establishmentId, status === 'awaiting-review'],
  );
  return { explanations: rows.map((r) => ({ ...gapFromRow(r), templateTitle: r.template_title ?? 'Check', unitName: r.unit_name })) };
}

/**
 * The head of residence accepts an explanation or queries it: the decision on the row (a later one
 * replaces it), audited, and logged for the explainer's tablet. Only the explanation that stands
 * for its day can be decided: a newer one replaced the rest.
 */
export async function reviewGap(db: Db, actor: Actor, id: string, request: GapReviewRequest): Promise<GapExplanation> {
  const { auth, now } = actor;
  await db.transaction(async (tx) => {
    const [gap] = await tx.query<{ establishment_id: string; schedule_id: string; unit_id: string; due_on: string }>(
      "SELECT establishment_id, schedule_id, unit_id, to_char(due_on, 'YYYY-MM-DD') AS due_on "
      + 'FROM gap_explanations WHERE id = $1 FOR UPDATE',
      [id],
    );
    // Another establishment's explanation is not found, as if it did not exist: its id says nothing.
    if (gap?.establishment_id !== auth.establishmentId) throw notFound('Explanation');
    const [standing] = await explanationsOfDay(tx, auth.establishmentId, {
      scheduleId: gap.schedule_id, unitId: gap.unit_id, day: gap.due_on,
    });
    if (standing && standing.id !== id) throw conflict('A newer explanation of that day was given since: decide on that one.');
    const comment = request.comment ?? null;
    await tx.query('UPDATE gap_explanations SET decision = $2, comment = $3, reviewer_id = $4, reviewed_at = $5 WHERE id = $1', [
      id, request.decision, comment, auth.userId, now,
    ]);
    await auditAs(tx, actor, {
      action: request.decision === 'accepted' ? 'gap.accept' : 'gap.query',
      entityType: 'gap',
      entityId: id,
      details: { decision: request.decision, comment },
    });
    await recordChange(tx, auth.establishmentId, 'gap', id, now);
  });
  const [updated] = await loadGaps(db, auth.establishmentId, [id]);
  if (!updated) throw notFound('Explanation');
  return updated;
}

export const gapHandlers = handlers({
  'gaps.list': ({ query }, { deps, auth, reply }) => {
    void reply.header('cache-control', 'no-store');
    return listGaps(deps.db, auth().establishmentId, query.status);
  },
  'gaps.review': ({ params, body }, { deps, actor }) => reviewGap(deps.db, actor(), params.id, body),
});
