import { createHash } from 'node:crypto';
import type { Review } from '../../../src/shared/api/review.ts';
import { PushedMutation, type Change, type PushResult, type ServerCheck } from '../../../src/shared/api/sync.ts';
import { hasAnyRole } from '../../../src/shared/auth.ts';
import { dayOfCheck } from '../../../src/shared/coverage.ts';
import { completionProblem, statusLabel } from '../../../src/shared/status.ts';
import { MutationBody, type PhotoRef, type SetActionStatusPayload } from '../../../src/shared/mutations.ts';
import { validateAnswers } from '../../../src/shared/templates/validate.ts';
import { type TemplateVersion } from '../../../src/shared/templates/schema.ts';
import { firstIssue, MAX_CLOCK_AHEAD_MS, MAX_JSON_DEPTH, nestedDeeperThan } from '../../../src/shared/text.ts';
import { audit } from '../audit-request.ts';
import type { AuthContext } from '../auth/sessions.ts';
import { canonicalJson } from '../canonical-json.ts';
import type { Db, Queryable } from '../db/client.ts';
import { isTransientDbError } from '../db/errors.ts';
import { chainEvidence } from '../evidence-chain.ts';
import type { ActionRow } from './actions.ts';
import { recordChange } from './changes.ts';
import { fromJsonColumn } from '../db/json.ts';
import { templateFromColumn, type TemplateVersionRow } from './templates.ts';

type Outcome = { status: 'applied' } | { status: 'rejected'; reason: string };

/** Thrown inside a mutation's transaction to roll it back and answer `retry`. */
class RetryLater extends Error {}

const contentHash = (m: PushedMutation) => createHash('sha256').update(canonicalJson({ type: m.type, payload: m.payload })).digest('hex');

interface Ctx {
  auth: AuthContext;
  clientId: string;
  now: Date;
  /** Template versions read in this push, by id: versions never change, and a batch's checks mostly share one. */
  templates: Map<string, TemplateVersion>;
  /** Told of an unexpected error storing a mutation (which is then refused alone): the route logs it. */
  onError: (error: unknown, mutationId: string) => void;
}

interface EvidenceRow {
  id: string;
  kind: 'check' | 'note';
  templateVersionId: string | null;
  scheduleId: string | null;
  dueOn: string | null;
  unitId: string | null;
  landing: string | null;
  answers: unknown[];
  note: string;
  actionIds: readonly string[];
  photos: readonly PhotoRef[];
  startedAt: string;
  submittedAt: string;
  supersedes: string | null;
}

/** A photo as uploaded: what a reference to it must agree with (width and height if they were read). */
interface StoredPhoto {
  sha256: string;
  mime: string;
  size: number;
  width: number | null;
  height: number | null;
}

/** What a piece of evidence refers to, as found in the establishment's data. */
interface Ownership {
  taken: boolean;
  unitOk: boolean;
  actionsOk: boolean;
  supersedesOk: boolean;
  /** The photos it names that this establishment has uploaded. */
  photos: Map<string, StoredPhoto>;
  /** The day of the check it corrects (null if none, or stored without one). */
  correctsDay: string | null;
  timeZone: string;
}

/**
 * Everything a piece of evidence must refer to (and what its day needs), in one query, not one per kind: a push applies each
 * mutation in its own transaction, and on the embedded database every round trip costs about as much as the work.
 * Ids are distinct and unique per establishment, so a count equal to the number asked for means all were found.
 */
async function ownership(tx: Queryable, establishmentId: string, row: EvidenceRow): Promise<Ownership> {
  const actionIds = [...new Set(row.actionIds)];
  const hashes = [...new Set(row.photos.map((p) => p.sha256))];
  const [found] = await tx.query<{
    taken: boolean;
    unit_ok: boolean;
    actions: number;
    supersedes_ok: boolean;
    photos: unknown;
    corrects_day: string | null;
    time_zone: string | null;
  }>(
    `SELECT EXISTS (SELECT 1 FROM checks WHERE id = $1) AS taken,
            ($3::uuid IS NULL OR EXISTS (SELECT 1 FROM units WHERE establishment_id = $2 AND id = $3)) AS unit_ok,
            (SELECT count(*)::int FROM actions a JOIN recommendations r ON r.id = a.recommendation_id JOIN plans p ON p.id = r.plan_id
              WHERE p.establishment_id = $2 AND a.id = ANY($4::uuid[])) AS actions,
            ($5::uuid IS NULL OR EXISTS (SELECT 1 FROM checks WHERE establishment_id = $2 AND id = $5)) AS supersedes_ok,
            COALESCE((SELECT json_agg(json_build_object('sha256', sha256, 'mime', mime, 'size', size, 'width', width, 'height', height))
                      FROM photos WHERE establishment_id = $2 AND sha256 = ANY($6::text[])), '[]'::json) AS photos,
            (SELECT to_char(day, 'YYYY-MM-DD') FROM checks WHERE establishment_id = $2 AND id = $5) AS corrects_day,
            (SELECT time_zone FROM establishments WHERE id = $2) AS time_zone`,
    [row.id, establishmentId, row.unitId, actionIds, row.supersedes, hashes],
  );
  if (!found) throw new Error('the ownership query returned no row');
  return {
    taken: found.taken,
    unitOk: found.unit_ok,
    actionsOk: found.actions === actionIds.length,
    supersedesOk: found.supersedes_ok,
    photos: new Map((fromJsonColumn(found.photos) as StoredPhoto[]).map((p) => [p.sha256, p])),
    correctsDay: found.corrects_day,
    timeZone: found.time_zone ?? 'Europe/London',
  };
}

async function insertEvidence(tx: Queryable, ctx: Ctx, row: EvidenceRow): Promise<Outcome> {
  const { establishmentId } = ctx.auth;
  const mine = await ownership(tx, establishmentId, row);
  if (mine.taken) return { status: 'rejected', reason: `Evidence ${row.id} was already recorded by another change.` };
  if (!mine.unitOk) return { status: 'rejected', reason: 'The unit is not one of your establishment’s.' };
  if (!mine.actionsOk) return { status: 'rejected', reason: 'An action it is linked to is not one of your establishment’s.' };
  if (!mine.supersedesOk) return { status: 'rejected', reason: 'It corrects a check the server does not have.' };
  // Every photo named must have been uploaded by this establishment first; if not, the device tries again after uploading.
  if (row.photos.some((p) => !mine.photos.has(p.sha256))) throw new RetryLater('a photo it names has not been uploaded yet');
  const mismatch = photoMismatch(row.photos, mine.photos);
  if (mismatch) return { status: 'rejected', reason: mismatch };
  // Stored, not worked out when coverage is read: coverage selects a year of checks by template and day.
  const day = dayOfCheck({ dueOn: row.dueOn, startedAt: row.startedAt, correctsDay: mine.correctsDay }, mine.timeZone);
  await tx.query(
    `INSERT INTO checks (id, establishment_id, kind, template_version_id, schedule_id, due_on, unit_id, landing, author_id, device_id,
       answers, note, started_at, submitted_at, received_at, supersedes, day)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
    [
      row.id, establishmentId, row.kind, row.templateVersionId, row.scheduleId, row.dueOn, row.unitId, row.landing,
      ctx.auth.userId, ctx.clientId, JSON.stringify(row.answers), row.note, row.startedAt, row.submittedAt, ctx.now,
      row.supersedes, day,
    ],
  );
  for (const actionId of new Set(row.actionIds)) await tx.query('INSERT INTO check_actions (check_id, action_id) VALUES ($1, $2)', [row.id, actionId]);
  for (const [position, p] of row.photos.entries()) {
    await tx.query(
      'INSERT INTO check_photos (check_id, position, sha256, item_id, mime, size, width, height) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
      [row.id, position, p.sha256, p.itemId, p.mime, p.size, p.width, p.height],
    );
  }
  // In the tamper-evident chain with a hash of what was just stored, links and photo references included.
  const chained = { establishmentId, checkId: row.id, kind: row.kind, actorId: ctx.auth.userId, deviceId: ctx.clientId };
  await chainEvidence(tx, chained, ctx.now);
  await recordChange(tx, establishmentId, 'check', row.id, ctx.now);
  return { status: 'applied' };
}

/** How a photo reference disagrees with the file it names (type, size, width and height), if it does. */
function photoMismatch(refs: readonly PhotoRef[], stored: ReadonlyMap<string, StoredPhoto>): string | null {
  for (const [index, ref] of refs.entries()) {
    const file = stored.get(ref.sha256);
    if (!file) continue;
    const where = `photos.${index}`;
    if (file.mime !== ref.mime) return `${where}.mime: it says ${ref.mime}, but the uploaded photo is ${file.mime}.`;
    if (file.size !== ref.size) return `${where}.size: it says ${ref.size} bytes, but the uploaded photo has ${file.size}.`;
    if (file.width !== null && file.height !== null && (file.width !== ref.width || file.height !== ref.height)) {
      return `${where}: it says ${ref.width}×${ref.height} pixels, but the uploaded photo is ${file.width}×${file.height}.`;
    }
  }
  return null;
}

/** Evidence for an action whose standing review decision is "accepted". */
async function acceptedEvidence(tx: Queryable, actionId: string): Promise<number> {
  const [row] = await tx.query<{ count: number }>(
    `SELECT count(*)::int AS count FROM check_actions ca
     WHERE ca.action_id = $1 AND (SELECT r.decision FROM reviews r WHERE r.check_id = ca.check_id
                                  ORDER BY r.reviewed_at DESC, r.id DESC LIMIT 1) = 'accepted'`,
    [actionId],
  );
  return row?.count ?? 0;
}

async function setActionStatus(tx: Queryable, ctx: Ctx, p: SetActionStatusPayload): Promise<Outcome> {
  const { auth } = ctx;
  if (!hasAnyRole(auth.roles, ['head-of-residence', 'admin'])) {
    return { status: 'rejected', reason: 'Only the head of residence or an admin can set an action’s status.' };
  }
  // Locked so two status changes based on the same version cannot both pass the check below.
  const [action] = await tx.query<Pick<ActionRow, 'status' | 'version'>>(
    `SELECT a.status, a.version FROM actions a JOIN recommendations r ON r.id = a.recommendation_id JOIN plans p ON p.id = r.plan_id
     WHERE a.id = $1 AND p.establishment_id = $2 FOR UPDATE OF a`,
    [p.actionId, auth.establishmentId],
  );
  if (!action) return { status: 'rejected', reason: 'The action is not one of your establishment’s.' };
  if (action.status === 'archived') return { status: 'rejected', reason: 'The action was archived when its plan was revised.' };
  if (action.version !== p.baseVersion) {
    return {
      status: 'rejected',
      reason: `Someone changed this action after you looked at it: it is now “${statusLabel(action.status)}” (version ${action.version}). Look at it again and redo your change if it is still needed.`,
    };
  }
  if (p.status === 'complete') {
    const problem = completionProblem({ acceptedEvidence: await acceptedEvidence(tx, p.actionId), reason: p.reason });
    if (problem) return { status: 'rejected', reason: problem };
  }
  await tx.query('UPDATE actions SET status = $2, version = version + 1 WHERE id = $1', [p.actionId, p.status]);
  await audit(
    tx,
    { establishmentId: auth.establishmentId, actorId: auth.userId, deviceId: ctx.clientId, now: ctx.now },
    {
      action: 'action.set-status',
      entityType: 'action',
      entityId: p.actionId,
      details: { from: action.status, to: p.status, reason: p.reason ?? null, version: action.version + 1 },
    },
  );
  return { status: 'applied' };
}

/** The establishment's template version, read and parsed once per push; null if it is not one of theirs. */
async function templateVersion(tx: Queryable, ctx: Ctx, id: string): Promise<TemplateVersion | null> {
  const known = ctx.templates.get(id);
  if (known) return known;
  const [template] = await tx.query<Pick<TemplateVersionRow, 'definition'>>(
    'SELECT v.definition FROM template_versions v JOIN templates t ON t.id = v.template_id WHERE v.id = $1 AND t.establishment_id = $2',
    [id, ctx.auth.establishmentId],
  );
  if (!template) return null;
  const definition = templateFromColumn(template.definition);
  ctx.templates.set(id, definition);
  return definition;
}

/**
 * The device's clock is believed up to MAX_CLOCK_AHEAD_MS ahead of the server's (and any time
 * behind it: tablets work offline for days); the server's own time of receipt is stored beside it.
 */
function clockProblem(ctx: Ctx, submittedAt: string): string | null {
  if (Date.parse(submittedAt) <= ctx.now.getTime() + MAX_CLOCK_AHEAD_MS) return null;
  return `submittedAt: ${submittedAt} is more than ${MAX_CLOCK_AHEAD_MS / 3_600_000} hours after the server’s time (${ctx.now.toISOString()}), so the tablet’s clock is wrong. Set its date and time; this evidence stays on the tablet.`;
}

async function applyBody(tx: Queryable, ctx: Ctx, body: MutationBody): Promise<Outcome> {
  const { establishmentId } = ctx.auth;
  if (body.type === 'action.set-status') return setActionStatus(tx, ctx, body.payload);
  const skewed = clockProblem(ctx, body.payload.submittedAt);
  if (skewed) return { status: 'rejected', reason: skewed };
  if (body.type === 'note.add') {
    const p = body.payload;
    return insertEvidence(tx, ctx, { ...p, id: p.noteId, kind: 'note', templateVersionId: null, scheduleId: null, dueOn: null, landing: null, answers: [], note: p.text });
  }
  const p = body.payload;
  const definition = await templateVersion(tx, ctx, p.templateVersionId);
  if (!definition) return { status: 'rejected', reason: 'Its template is not one of your establishment’s.' };
  if (p.scheduleId) {
    const [schedule] = await tx.query('SELECT 1 FROM schedules WHERE id = $1 AND establishment_id = $2', [p.scheduleId, establishmentId]);
    if (!schedule) return { status: 'rejected', reason: 'Its schedule is not one of your establishment’s.' };
  }
  // The server checks the answers and photos too: a device's validation is a convenience, not a guarantee.
  const photosByItem: Record<string, number> = Object.create(null) as Record<string, number>;
  for (const photo of p.photos) if (photo.itemId) photosByItem[photo.itemId] = (photosByItem[photo.itemId] ?? 0) + 1;
  const issue = validateAnswers(definition, p.answers, photosByItem)[0];
  if (issue) return { status: 'rejected', reason: `The answers are incomplete or do not fit the check: ${issue.message}.` };
  return insertEvidence(tx, ctx, { ...p, id: p.checkId, kind: 'check', note: '' });
}

async function pushOne(db: Db, ctx: Ctx, mutation: PushedMutation): Promise<PushResult> {
  // Bounded before anything walks it (the content hash recurses): refused alone, and not recorded.
  if (nestedDeeperThan(mutation.payload, MAX_JSON_DEPTH)) {
    return { id: mutation.id, status: 'rejected', reason: `It is malformed (payload: nests more than ${MAX_JSON_DEPTH} levels deep; no change this app makes does).` };
  }
  const hash = contentHash(mutation);
  const { auth } = ctx;
  try {
    return await db.transaction(async (tx): Promise<PushResult> => {
      // Claim the id first: a concurrent push of the same mutation waits here, then sees it taken.
      const claimed = await tx.query(
        `INSERT INTO applied_mutations (id, establishment_id, client_id, user_id, type, content_hash, status, applied_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'applied', $7) ON CONFLICT (id) DO NOTHING RETURNING id`,
        [mutation.id, auth.establishmentId, ctx.clientId, auth.userId, mutation.type.slice(0, 100), hash, ctx.now],
      );
      if (claimed.length === 0) {
        const [earlier] = await tx.query<{ content_hash: string; status: 'applied' | 'rejected'; reason: string | null; establishment_id: string }>(
          'SELECT content_hash, status, reason, establishment_id FROM applied_mutations WHERE id = $1',
          [mutation.id],
        );
        if (earlier?.content_hash !== hash || earlier.establishment_id !== auth.establishmentId) {
          return { id: mutation.id, status: 'rejected', reason: 'A different change was already sent with this id; this one was not applied.' };
        }
        return earlier.status === 'applied'
          ? { id: mutation.id, status: 'duplicate' }
          : { id: mutation.id, status: 'rejected', reason: earlier.reason ?? 'Refused earlier.' };
      }
      const outcome = await decide(tx, ctx, mutation);
      if (outcome.status === 'rejected') {
        await tx.query("UPDATE applied_mutations SET status = 'rejected', reason = $2 WHERE id = $1", [mutation.id, outcome.reason]);
      }
      return { id: mutation.id, ...outcome };
    });
  } catch (error) {
    // Rolled back, so nothing of it is stored (nor its claim): sent again, it is looked at afresh.
    if (error instanceof RetryLater) return { id: mutation.id, status: 'retry', reason: error.message };
    if (isTransientDbError(error)) return { id: mutation.id, status: 'retry', reason: 'The server’s database did not answer; it will be sent again.' };
    // Not this change's fault as far as the server can tell, but it would fail the same way again:
    // refused alone (never a 500 for the batch), kept on the device, to be sent again once fixed.
    ctx.onError(error, mutation.id);
    return {
      id: mutation.id,
      status: 'rejected',
      reason: 'The server failed while storing it (its error is logged there). It is kept on this device: tell your admin, and send it again once the server is fixed.',
    };
  }
}

async function decide(tx: Queryable, ctx: Ctx, mutation: PushedMutation): Promise<Outcome> {
  if (mutation.clientId !== ctx.clientId) return { status: 'rejected', reason: 'It was made on another device than the one sending it.' };
  const parsed = MutationBody.safeParse({ type: mutation.type, payload: mutation.payload });
  if (!parsed.success) {
    const known = MutationBody.options.some((o) => o.shape.type.value === mutation.type);
    return { status: 'rejected', reason: known ? `It is malformed (${firstIssue(parsed.error)}).` : `Unknown kind of change “${mutation.type}”.` };
  }
  return applyBody(tx, ctx, parsed.data);
}

/** The id a malformed mutation is answered by, so the device can match the answer; '' if it has none usable. */
function idOf(raw: unknown): string {
  const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
  return typeof id === 'string' && id.length <= 100 ? id : '';
}

/**
 * Applies a device's batch in order, each mutation in its own transaction with its record in
 * applied_mutations. Whatever is wrong with one mutation (its envelope, its content, or an error
 * storing it) is answered `rejected` for that one alone, with a reason a person can read; only a
 * transient failure answers `retry`. Stops at the first `retry` (later mutations may depend on
 * it: a correction on its original) and answers `retry` for the rest, so the device keeps its order.
 */
export async function applyPush(
  db: Db,
  auth: AuthContext,
  request: { clientId: string; protocol: number; mutations: readonly unknown[] },
  now: Date,
  onError: (error: unknown, mutationId: string) => void = () => undefined,
): Promise<PushResult[]> {
  const ctx: Ctx = { auth, clientId: request.clientId, now, templates: new Map(), onError };
  const results: PushResult[] = [];
  let stopped: string | null = null;
  for (const raw of request.mutations) {
    if (stopped) {
      results.push({ id: idOf(raw), status: 'retry', reason: stopped });
      continue;
    }
    const envelope = PushedMutation.safeParse(raw);
    if (!envelope.success) {
      results.push({ id: idOf(raw), status: 'rejected', reason: `It is malformed (${firstIssue(envelope.error)}).` });
      continue;
    }
    const result = await pushOne(db, ctx, envelope.data);
    results.push(result);
    if (result.status === 'retry') stopped = 'An earlier change in this batch must be applied first.';
  }
  return results;
}

/** A check's (or note's) row, with its author's name, actions and photos; `answers` and `photos` are JSON columns. */
export interface CheckRow {
  id: string;
  kind: 'check' | 'note';
  template_version_id: string | null;
  schedule_id: string | null;
  due_on: string | null;
  unit_id: string | null;
  landing: string | null;
  author_id: string;
  author_name: string;
  answers: unknown;
  note: string;
  started_at: Date;
  submitted_at: Date;
  received_at: Date;
  supersedes: string | null;
  action_ids: string[];
  photos: unknown;
}

/** Checks and notes of an establishment by id, as devices and reviewers see them. */
export async function loadChecks(db: Queryable, establishmentId: string, ids: readonly string[]): Promise<ServerCheck[]> {
  if (ids.length === 0) return [];
  const rows = await db.query<CheckRow>(
    `SELECT c.id, c.kind, c.template_version_id, c.schedule_id, to_char(c.due_on, 'YYYY-MM-DD') AS due_on, c.unit_id, c.landing,
            c.author_id, u.display_name AS author_name, c.answers, c.note, c.started_at, c.submitted_at, c.received_at, c.supersedes,
            ARRAY(SELECT ca.action_id FROM check_actions ca WHERE ca.check_id = c.id ORDER BY ca.action_id) AS action_ids,
            COALESCE((SELECT json_agg(json_build_object('sha256', p.sha256, 'mime', p.mime, 'size', p.size, 'width', p.width,
                        'height', p.height, 'itemId', p.item_id) ORDER BY p.position)
                      FROM check_photos p WHERE p.check_id = c.id), '[]'::json) AS photos
     FROM checks c JOIN users u ON u.id = c.author_id
     WHERE c.establishment_id = $1 AND c.id = ANY($2::uuid[])`,
    [establishmentId, [...ids]],
  );
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    templateVersionId: r.template_version_id,
    scheduleId: r.schedule_id,
    dueOn: r.due_on,
    unitId: r.unit_id,
    landing: r.landing,
    authorId: r.author_id,
    authorName: r.author_name,
    actionIds: r.action_ids,
    answers: fromJsonColumn(r.answers) as ServerCheck['answers'],
    note: r.note,
    photos: fromJsonColumn(r.photos) as PhotoRef[],
    startedAt: r.started_at.toISOString(),
    submittedAt: r.submitted_at.toISOString(),
    receivedAt: r.received_at.toISOString(),
    supersedes: r.supersedes,
  }));
}

/** Review decisions of an establishment, by review ids or by the checks they are about, oldest first. */
export async function loadReviews(
  db: Queryable,
  establishmentId: string,
  filter: { ids?: readonly string[]; checkIds?: readonly string[] },
): Promise<Review[]> {
  if ((filter.ids?.length ?? 0) === 0 && (filter.checkIds?.length ?? 0) === 0) return [];
  const rows = await db.query<{ id: string; check_id: string; decision: Review['decision']; reason: string | null; reviewer_name: string; reviewed_at: Date }>(
    `SELECT r.id, r.check_id, r.decision, r.reason, u.display_name AS reviewer_name, r.reviewed_at
     FROM reviews r JOIN users u ON u.id = r.reviewer_id
     WHERE r.establishment_id = $1 AND (r.id = ANY($2::uuid[]) OR r.check_id = ANY($3::uuid[]))
     ORDER BY r.reviewed_at, r.id`,
    [establishmentId, [...(filter.ids ?? [])], [...(filter.checkIds ?? [])]],
  );
  return rows.map((r) => ({
    id: r.id,
    checkId: r.check_id,
    decision: r.decision,
    reason: r.reason,
    reviewerName: r.reviewer_name,
    reviewedAt: r.reviewed_at.toISOString(),
  }));
}

/** The establishment's changes after `cursor`, oldest first, with the data a device needs for each. */
export async function pullChanges(
  db: Queryable,
  establishmentId: string,
  cursor: string,
  limit: number,
): Promise<{ changes: Change[]; cursor: string; hasMore: boolean }> {
  const rows = await db.query<{ seq: string; entity: string; entity_id: string }>(
    // Ordered by the bigint column, not the text alias: "155" sorts after "1540" as text.
    `SELECT c.seq::text AS seq, c.entity, c.entity_id FROM changes c
     WHERE c.establishment_id = $1 AND c.seq > $2::bigint ORDER BY c.seq LIMIT $3`,
    [establishmentId, cursor, limit + 1],
  );
  const page = rows.slice(0, limit);
  const checks = await loadChecks(db, establishmentId, page.filter((r) => r.entity === 'check').map((r) => r.entity_id));
  const byId = new Map(checks.map((c) => [c.id, c]));
  const reviews = new Map((await loadReviews(db, establishmentId, { ids: page.filter((r) => r.entity === 'review').map((r) => r.entity_id) })).map((r) => [r.id, r]));
  const changes: Change[] = [];
  for (const row of page) {
    if (row.entity === 'check') {
      const data = byId.get(row.entity_id);
      if (data) changes.push({ seq: row.seq, entity: 'check', id: row.entity_id, data });
    } else if (row.entity === 'review') {
      const data = reviews.get(row.entity_id);
      if (data) changes.push({ seq: row.seq, entity: 'review', id: row.entity_id, data });
    } else if (row.entity === 'reference') {
      changes.push({ seq: row.seq, entity: 'reference', id: row.entity_id as Extract<Change, { entity: 'reference' }>['id'] });
    }
  }
  return { changes, cursor: page.at(-1)?.seq ?? cursor, hasMore: rows.length > limit };
}
