import { createHash } from 'node:crypto';
import type { Review } from '../../../src/shared/api/review.ts';
import { PushedMutation, type Change, type CheckPresence, type PushResult, type ServerCheck } from '../../../src/shared/api/sync.ts';
import { hasAnyRole } from '../../../src/shared/auth.ts';
import { verifyTag, type TagKey } from './location-tags.ts';
import { explainGap, loadGaps } from './gaps.ts';
import { dayOfCheck } from '../../../src/shared/coverage.ts';
import { completionProblem, statusLabel } from '../../../src/shared/status.ts';
import { PROTOCOL_VERSION } from '../../../src/shared/protocol.ts';
import { MutationBody, type PhotoRef, type SetActionStatusPayload, type SubmitCheckPayload } from '../../../src/shared/mutations.ts';
import { validateAnswers } from '../../../src/shared/templates/validate.ts';
import { type TemplateVersion } from '../../../src/shared/templates/schema.ts';
import { firstIssue, MAX_CLOCK_AHEAD_MS, MAX_JSON_DEPTH, nestedDeeperThan } from '../../../src/shared/text.ts';
import { auditBatch, type AuditedItem } from '../audit-request.ts';
import type { AuthContext } from '../auth/sessions.ts';
import { canonicalJson } from '../canonical-json.ts';
import { together, type Db, type Queryable, type Statement } from '../db/client.ts';
import { isTransientDbError } from '../db/errors.ts';
import { ACTION_IDS_AGG, EVIDENCE_HASH, PHOTO_REFS_AGG } from '../evidence-chain.ts';
import type { ActionRow } from './actions.ts';
import { fromJsonColumn } from '../db/json.ts';
import { templateFromColumn } from './templates.ts';
import { recordSignOff } from './sign-off.ts';

type Outcome = { status: 'applied' } | { status: 'rejected'; reason: string } | { status: 'retry'; reason: string };

const contentHash = (m: PushedMutation) => createHash('sha256').update(canonicalJson({ type: m.type, payload: m.payload })).digest('hex');

/** Ids compared in the server's memory as the database compares uuids: case does not matter. */
const key = (id: string) => id.toLowerCase();

const RETRY_EARLIER = 'An earlier change in this batch must be applied first.';
const RETRY_DATABASE = 'The server’s database did not answer; it will be sent again.';
const SERVER_FAILED = 'The server failed while storing it (its error is logged there). It is kept on this device: tell your admin, and send it again once the server is fixed.';

interface Ctx {
  auth: AuthContext;
  clientId: string;
  now: Date;
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
  /** As verified (location-tags.ts); null when the payload did not say (a note, or an app from before tags). */
  presence: CheckPresence | null;
}

/** A photo as uploaded: what a reference to it must agree with (width and height if they were read). */
interface StoredPhoto {
  sha256: string;
  mime: string;
  size: number;
  width: number | null;
  height: number | null;
}

/** What a push's evidence refers to, as found in the establishment's data (ids in lower case). */
interface Found {
  timeZone: string;
  /** The establishment's location tag key, against which scanned tags are verified. */
  tagKey: TagKey;
  /** Checks and notes already stored under these ids, in any establishment. */
  taken: ReadonlySet<string>;
  units: ReadonlySet<string>;
  actions: ReadonlySet<string>;
  schedules: ReadonlySet<string>;
  /** The establishment's checks that corrections name, with the day each is for. */
  corrected: ReadonlyMap<string, string | null>;
  /** The photos named that this establishment has uploaded. */
  photos: ReadonlyMap<string, StoredPhoto>;
  /** The establishment's template versions named and not known yet, as stored (parsed when first used). */
  templates: ReadonlyMap<string, unknown>;
  /** Those known already (KNOWN_TEMPLATES), as they were when looked up. */
  parsed: Map<string, TemplateVersion>;
}

/** The row the ownership statement answers (lookUp). */
interface FoundRow {
  time_zone: string | null;
  tag_key: string | null;
  tag_key_version: number | null;
  taken: string[];
  units: string[];
  actions: string[];
  schedules: string[];
  corrected: unknown;
  photos: unknown;
  templates: unknown;
}

/**
 * Everything the evidence of a whole push must refer to, in one statement: on the embedded
 * database each round trip costs about as much as the work, and on PostgreSQL each one is time the
 * push's transaction stays open. Ids are unique per establishment, so what is not found is not
 * theirs. Given as the statement to run and how to read its answer, so a push can send it in the
 * same message as its claims (Queryable.together).
 */
function lookUp(
  establishmentId: string,
  bodies: readonly MutationBody[],
): { statement: Statement; read: (rows: readonly object[]) => Found } {
  const ids = { checks: new Set<string>(), units: new Set<string>(), actions: new Set<string>(), corrected: new Set<string>(),
    photos: new Set<string>(), schedules: new Set<string>(), templates: new Set<string>() };
  const parsed = new Map<string, TemplateVersion>();
  for (const body of bodies) {
    if (body.type === 'action.set-status' || body.type === 'gap.explain') continue;
    const p = body.payload;
    ids.checks.add(body.type === 'note.add' ? body.payload.noteId : body.payload.checkId);
    if (p.unitId) ids.units.add(p.unitId);
    for (const id of p.actionIds) ids.actions.add(id);
    if (p.supersedes) ids.corrected.add(p.supersedes);
    for (const photo of p.photos) ids.photos.add(photo.sha256);
    if (body.type === 'check.submit') {
      if (body.payload.scheduleId) ids.schedules.add(body.payload.scheduleId);
      const version = body.payload.templateVersionId;
      const known = KNOWN_TEMPLATES.get(templateKey(establishmentId, version));
      if (known) parsed.set(key(version), known);
      else ids.templates.add(version);
    }
  }
  const statement: Statement = {
    // Not prepared (db/client.ts): PostgreSQL's generic plan, made without knowing the arrays' sizes, ran ten times slower.
    sql: `SELECT e.time_zone, e.tag_key, e.tag_key_version,
            ARRAY(SELECT id::text FROM checks WHERE id = ANY($2::uuid[])) AS taken,
            ARRAY(SELECT id::text FROM units WHERE establishment_id = $1 AND id = ANY($3::uuid[])) AS units,
            ARRAY(SELECT a.id::text FROM actions a JOIN recommendations r ON r.id = a.recommendation_id JOIN plans p ON p.id = r.plan_id
                  WHERE p.establishment_id = $1 AND a.id = ANY($4::uuid[])) AS actions,
            ARRAY(SELECT id::text FROM schedules WHERE establishment_id = $1 AND id = ANY($5::uuid[])) AS schedules,
            COALESCE((SELECT json_agg(json_build_object('id', id, 'day', to_char(day, 'YYYY-MM-DD')))
                      FROM checks WHERE establishment_id = $1 AND id = ANY($6::uuid[])), '[]'::json) AS corrected,
            COALESCE((SELECT json_agg(json_build_object('sha256', sha256, 'mime', mime, 'size', size, 'width', width, 'height', height))
                      FROM photos WHERE establishment_id = $1 AND sha256 = ANY($7::text[])), '[]'::json) AS photos,
            COALESCE((SELECT json_agg(json_build_object('id', v.id, 'definition', v.definition))
                      FROM template_versions v JOIN templates t ON t.id = v.template_id
                      WHERE t.establishment_id = $1 AND v.id = ANY($8::uuid[])), '[]'::json) AS templates
     -- One row whether or not the establishment is found: its columns are read from it once.
     FROM (SELECT 1) one LEFT JOIN establishments e ON e.id = $1`,
    params: [
      establishmentId,
      ...[ids.checks, ids.units, ids.actions, ids.schedules, ids.corrected, ids.photos, ids.templates].map((set) => [...set]),
    ],
  };
  return { statement, read: (rows) => readFound(establishmentId, rows[0] as FoundRow | undefined, parsed) };
}

function readFound(establishmentId: string, found: FoundRow | undefined, parsed: Map<string, TemplateVersion>): Found {
  if (!found) throw new Error('the ownership query returned no row');
  const lower = (list: readonly string[]) => new Set(list.map(key));
  return {
    timeZone: found.time_zone ?? 'Europe/London',
    tagKey: { establishmentId, key: found.tag_key, version: found.tag_key_version ?? 0 },
    taken: lower(found.taken),
    units: lower(found.units),
    actions: lower(found.actions),
    schedules: lower(found.schedules),
    corrected: new Map((fromJsonColumn(found.corrected) as { id: string; day: string | null }[]).map((c) => [key(c.id), c.day])),
    photos: new Map((fromJsonColumn(found.photos) as StoredPhoto[]).map((p) => [p.sha256, p])),
    templates: new Map(
      (fromJsonColumn(found.templates) as { id: string; definition: unknown }[]).map((t) => [key(t.id), t.definition]),
    ),
    parsed,
  };
}

/**
 * Template versions already found to be an establishment's, parsed, by establishment and version:
 * a version never changes once made, and nearly every push names the same few, so they are read
 * and parsed once per process, not once per push. Bounded: emptied when it grows past its size.
 */
const KNOWN_TEMPLATES = new Map<string, TemplateVersion>();
const KNOWN_TEMPLATES_MAX = 1000;
const templateKey = (establishmentId: string, versionId: string) => `${key(establishmentId)}/${key(versionId)}`;

/** What one transaction stores and logs, for every push written in it, in order. */
interface Written {
  /** Evidence stored, by id, with the day it is for: a later mutation (of any push in it) may correct it. */
  days: Map<string, string>;
  /** Each with the push it came in (its author, device and time of receipt). */
  evidence: (EvidenceRow & { day: string; ctx: Ctx })[];
  /** In mutation order: evidence (chained once its hash is known) or an audited change. */
  log: ({ evidence: EvidenceRow; ctx: Ctx } | { audited: AuditedItem })[];
}

/** A push being applied: who sent it, what its evidence was found to refer to, and the transaction's record. */
interface Batch extends Written {
  ctx: Ctx;
  establishmentId: string;
  found: Found;
}

/** Checks a piece of evidence against what the push found and what it stores before it, and queues it to be stored. */
function takeEvidence(batch: Batch, row: EvidenceRow): Outcome {
  const { found } = batch;
  const id = key(row.id);
  if (found.taken.has(id) || batch.days.has(id)) return { status: 'rejected', reason: `Evidence ${row.id} was already recorded by another change.` };
  if (row.unitId !== null && !found.units.has(key(row.unitId))) return { status: 'rejected', reason: 'The unit is not one of your establishment’s.' };
  if (!row.actionIds.every((a) => found.actions.has(key(a)))) {
    return { status: 'rejected', reason: 'An action it is linked to is not one of your establishment’s.' };
  }
  const corrects = row.supersedes === null ? null : key(row.supersedes);
  if (corrects !== null && !found.corrected.has(corrects) && !batch.days.has(corrects)) {
    return { status: 'rejected', reason: 'It corrects a check the server does not have.' };
  }
  // Every photo named must have been uploaded by this establishment first; if not, the device tries again after uploading.
  if (row.photos.some((p) => !found.photos.has(p.sha256))) return { status: 'retry', reason: 'a photo it names has not been uploaded yet' };
  const mismatch = photoMismatch(row.photos, found.photos);
  if (mismatch) return { status: 'rejected', reason: mismatch };
  const correctsDay = corrects === null ? null : (found.corrected.get(corrects) ?? batch.days.get(corrects) ?? null);
  // Stored, not worked out when coverage is read: coverage selects a year of checks by template and day.
  const day = dayOfCheck({ dueOn: row.dueOn, startedAt: row.startedAt, correctsDay }, found.timeZone);
  batch.days.set(id, day);
  batch.evidence.push({ ...row, day, ctx: batch.ctx });
  batch.log.push({ evidence: row, ctx: batch.ctx });
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

/**
 * Stores the transaction's evidence, its action links and photo references in one statement (the
 * rows of each table inserted together), answering each piece's hash for the audit chain, computed
 * by the database from the rows as stored (RETURNING them) with the expression verification uses.
 */
async function storeEvidence(tx: Queryable, establishmentId: string, evidence: Written['evidence']): Promise<Map<string, string>> {
  if (evidence.length === 0) return new Map();
  const rows = evidence.map((r) => ({
    id: r.id, kind: r.kind, template_version_id: r.templateVersionId, schedule_id: r.scheduleId, due_on: r.dueOn,
    unit_id: r.unitId, landing: r.landing, answers: r.answers, note: r.note, started_at: r.startedAt,
    submitted_at: r.submittedAt, supersedes: r.supersedes, day: r.day, presence: r.presence,
    author_id: r.ctx.auth.userId, device_id: r.ctx.clientId, received_at: r.ctx.now,
  }));
  const links = evidence.flatMap((r) => [...new Set(r.actionIds)].map((actionId) => ({ check_id: r.id, action_id: actionId })));
  const photos = evidence.flatMap((r) => r.photos.map((p, position) => ({
    check_id: r.id, position, sha256: p.sha256, item_id: p.itemId, mime: p.mime, size: p.size, width: p.width, height: p.height,
    redacted: p.redacted === true,
  })));
  const hashed = await tx.query<{ id: string; hash: string }>(
    `WITH stored AS (
       INSERT INTO checks (id, establishment_id, kind, template_version_id, schedule_id, due_on, unit_id, landing, author_id, device_id,
         answers, note, started_at, submitted_at, received_at, supersedes, day, presence)
       SELECT e.id, $1, e.kind, e.template_version_id, e.schedule_id, e.due_on, e.unit_id, e.landing, e.author_id, e.device_id,
              e.answers, e.note, e.started_at, e.submitted_at, e.received_at, e.supersedes, e.day, e.presence
       FROM jsonb_to_recordset($2::jsonb) AS e (id uuid, kind text, template_version_id uuid, schedule_id uuid, due_on date, unit_id uuid,
         landing text, answers jsonb, note text, started_at timestamptz, submitted_at timestamptz, supersedes uuid, day date, presence jsonb,
         author_id uuid, device_id text, received_at timestamptz)
       RETURNING *
     ), linked AS (
       INSERT INTO check_actions (check_id, action_id)
       SELECT l.check_id, l.action_id FROM jsonb_to_recordset($3::jsonb) AS l (check_id uuid, action_id uuid)
       RETURNING *
     ), pictured AS (
       INSERT INTO check_photos (check_id, position, sha256, item_id, mime, size, width, height, redacted)
       SELECT p.check_id, p.position, p.sha256, p.item_id, p.mime, p.size, p.width, p.height, p.redacted
       FROM jsonb_to_recordset($4::jsonb) AS p (check_id uuid, position integer, sha256 text, item_id text, mime text, size integer,
         width integer, height integer, redacted boolean)
       RETURNING *
     ),
     -- Each check's links and photos aggregated once, not looked for per check: linear in the rows stored.
     actions_of AS (SELECT ca.check_id, ${ACTION_IDS_AGG} AS actions FROM linked ca GROUP BY ca.check_id),
     photos_of AS (SELECT p.check_id, ${PHOTO_REFS_AGG} AS photos FROM pictured p GROUP BY p.check_id)
     SELECT c.id::text AS id, ${EVIDENCE_HASH('COALESCE(a.actions, \'[]\'::jsonb)', 'COALESCE(f.photos, \'[]\'::jsonb)')} AS hash
     FROM stored c LEFT JOIN actions_of a ON a.check_id = c.id LEFT JOIN photos_of f ON f.check_id = c.id`,
    [establishmentId, ...[rows, links, photos].map((r) => JSON.stringify(r))],
  );
  return new Map(hashed.map((r) => [key(r.id), r.hash]));
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

/** The sign-off of an action being closed: the typed name (or, from an older app, the account's), bound to its evidence. */
async function signOffClosing(tx: Queryable, ctx: Ctx, p: SetActionStatusPayload): Promise<{ name: string; digest: string }> {
  const typed = p.signedName?.trim() ?? '';
  const [user] = typed === '' ? await tx.query<{ display_name: string }>('SELECT display_name FROM users WHERE id = $1', [ctx.auth.userId]) : [];
  const name = typed === '' ? (user?.display_name ?? 'Unknown') : typed;
  const digest = await recordSignOff(tx, {
    establishmentId: ctx.auth.establishmentId,
    actionId: p.actionId,
    userId: ctx.auth.userId,
    roles: ctx.auth.roles,
    signedName: name,
    at: ctx.now,
  });
  return { name, digest };
}

/** A status change: applied at once in the push's transaction (rare, and a later one may build on it), audited with the push. */
async function setActionStatus(tx: Queryable, ctx: Ctx, batch: Batch, p: SetActionStatusPayload): Promise<Outcome> {
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
  const signedOff = p.status === 'complete' ? await signOffClosing(tx, ctx, p) : null;
  batch.log.push({
    audited: {
      at: ctx.now,
      by: { actorId: auth.userId, deviceId: ctx.clientId },
      change: {
        action: 'action.set-status',
        entityType: 'action',
        entityId: p.actionId,
        details: {
          from: action.status, to: p.status, reason: p.reason ?? null, version: action.version + 1,
          ...(signedOff ? { signedName: signedOff.name, evidenceDigest: signedOff.digest } : {}),
        },
      },
    },
  });
  return { status: 'applied' };
}

/** The establishment's template version, parsed once per process; null if it is not one of theirs. */
function templateVersion(batch: Batch, id: string): TemplateVersion | null {
  const known = batch.found.parsed.get(key(id));
  if (known) return known;
  const stored = batch.found.templates.get(key(id));
  if (stored === undefined) return null;
  const definition = templateFromColumn(stored);
  batch.found.parsed.set(key(id), definition);
  if (KNOWN_TEMPLATES.size >= KNOWN_TEMPLATES_MAX) KNOWN_TEMPLATES.clear();
  KNOWN_TEMPLATES.set(templateKey(batch.establishmentId, id), definition);
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

async function applyBody(tx: Queryable, ctx: Ctx, batch: Batch, body: MutationBody): Promise<Outcome> {
  if (body.type === 'action.set-status') return setActionStatus(tx, ctx, batch, body.payload);
  if (body.type === 'gap.explain') {
    const skew = clockProblem(ctx, body.payload.explainedAt);
    if (skew) return { status: 'rejected', reason: skew };
    const audited: AuditedItem[] = [];
    const outcome = await explainGap(tx, ctx, body.payload, audited);
    for (const item of audited) batch.log.push({ audited: { ...item, at: ctx.now } });
    return outcome;
  }
  const skewed = clockProblem(ctx, body.payload.submittedAt);
  if (skewed) return { status: 'rejected', reason: skewed };
  if (body.type === 'note.add') {
    const p = body.payload;
    return takeEvidence(batch, {
      ...p, id: p.noteId, kind: 'note', templateVersionId: null, scheduleId: null, dueOn: null, landing: null, answers: [], note: p.text, presence: null,
    });
  }
  const p = body.payload;
  const definition = templateVersion(batch, p.templateVersionId);
  if (!definition) return { status: 'rejected', reason: 'Its template is not one of your establishment’s.' };
  if (p.scheduleId && !batch.found.schedules.has(key(p.scheduleId))) return { status: 'rejected', reason: 'Its schedule is not one of your establishment’s.' };
  // The server checks the answers and photos too: a device's validation is a convenience, not a guarantee.
  const photosByItem: Record<string, number> = Object.create(null) as Record<string, number>;
  for (const photo of p.photos) if (photo.itemId) photosByItem[photo.itemId] = (photosByItem[photo.itemId] ?? 0) + 1;
  const issue = validateAnswers(definition, p.answers, photosByItem)[0];
  if (issue) return { status: 'rejected', reason: `The answers are incomplete or do not fit the check: ${issue.message}.` };
  const presence = verifiedPresence(batch, p);
  if ('rejected' in presence) return { status: 'rejected', reason: presence.rejected };
  return takeEvidence(batch, { ...p, id: p.checkId, kind: 'check', note: '', presence: presence.stored });
}

/** A tag scanned this long before the check was started is not proof of this check. */
const SCAN_BEFORE_START_MS = 60 * 60_000;
/** Clocks and taps: a scan a little after the submit time still counts. */
const SCAN_AFTER_SUBMIT_MS = 60_000;

/** A check's presence as it will be stored, or why its tag is refused (a reason that names the tag). */
function verifiedPresence(batch: Batch, p: SubmitCheckPayload): { stored: CheckPresence | null } | { rejected: string } {
  const { presence } = p;
  if (!presence) return { stored: null };
  if (presence.method === 'none') return { stored: { method: 'none', reason: presence.reason } };
  const scanned = Date.parse(presence.scannedAt);
  if (scanned < Date.parse(p.startedAt) - SCAN_BEFORE_START_MS || scanned > Date.parse(p.submittedAt) + SCAN_AFTER_SUBMIT_MS) {
    return { rejected: `The location tag was scanned at ${presence.scannedAt}, not while this check was being done (${p.startedAt} to ${p.submittedAt}).` };
  }
  const verdict = verifyTag(presence.token, batch.found.tagKey, p.unitId);
  if (!verdict.ok) return { rejected: verdict.reason };
  return { stored: { method: 'tag', place: verdict.place, sheet: batch.found.tagKey.version, scannedAt: presence.scannedAt } };
}

/** A mutation's type and payload parsed, or why it is refused. */
function parseBody(ctx: Ctx, mutation: PushedMutation): MutationBody | Outcome {
  if (mutation.clientId !== ctx.clientId) return { status: 'rejected', reason: 'It was made on another device than the one sending it.' };
  const parsed = MutationBody.safeParse({ type: mutation.type, payload: mutation.payload });
  if (parsed.success) return parsed.data;
  const known = MutationBody.options.some((o) => o.shape.type.value === mutation.type);
  return { status: 'rejected', reason: known ? `It is malformed (${firstIssue(parsed.error)}).` : `Unknown kind of change “${mutation.type}”.` };
}

/** A mutation whose envelope parsed, on its way to the database. */
interface Pending {
  index: number;
  mutation: PushedMutation;
  hash: string;
}

/** What applied_mutations holds for an id the push could not claim. */
interface Earlier {
  content_hash: string;
  status: 'applied' | 'rejected';
  reason: string | null;
  establishment_id: string;
}

/** The answer to a mutation whose id was already recorded: never applied twice, never merged. */
function answerAgain(ctx: Ctx, pending: Pending, earlier: Earlier | undefined): PushResult {
  const { id } = pending.mutation;
  if (earlier?.content_hash !== pending.hash || earlier.establishment_id !== ctx.auth.establishmentId) {
    return { id, status: 'rejected', reason: 'A different change was already sent with this id; this one was not applied.' };
  }
  return earlier.status === 'applied' ? { id, status: 'duplicate' } : { id, status: 'rejected', reason: earlier.reason ?? 'Refused earlier.' };
}

/** What a push whose evidence refers to nothing finds. */
const NOTHING_FOUND = (establishmentId: string): Found => ({
  timeZone: 'Europe/London', tagKey: { establishmentId, key: null, version: 0 }, taken: new Set(), units: new Set(), actions: new Set(),
  schedules: new Set(), corrected: new Map(), photos: new Map(), templates: new Map(), parsed: new Map(),
});

/** One push's share of a transaction: who sent it, its mutations, and each parsed (or why it is refused), by index. */
interface PushWork {
  ctx: Ctx;
  pending: readonly Pending[];
  bodies: ReadonlyMap<number, MutationBody | Outcome>;
}

/**
 * Applies the mutations of one or more pushes of one establishment in one transaction, answering
 * each (by its index in its push). Each is decided on its own before anything is written, so a
 * refused one never undoes the others:
 *
 * 1. Claim every id at once (applied_mutations, ON CONFLICT DO NOTHING, in id order so two
 *    overlapping transactions cannot deadlock): a concurrent push of the same id waits here for the
 *    first to commit, then finds it taken and answers from its record. An id sent twice in the
 *    transaction is claimed by its first.
 * 2. Look up what all the claimed evidence refers to in one query, then decide each push's
 *    mutations in order, as if each had been applied before the next (a correction may follow its
 *    original, even from an earlier push in the transaction). A photo not uploaded yet stops its
 *    push there: it and the rest of that push answer `retry`, their claims undone.
 * 3. Write: rejections' reasons, then all the evidence, links and photo references (one statement),
 *    and last, in one statement sent with the COMMIT, the audit chain and the change log, whose
 *    establishment counter row is locked from then until the commit (migration 0016).
 */
async function applyInTransaction(tx: Queryable, works: readonly PushWork[]): Promise<Map<number, PushResult>[]> {
  const establishmentId = works[0]?.ctx.auth.establishmentId;
  if (establishmentId === undefined) return [];
  const firsts = new Map<string, Pending>();
  const sender = new Map<Pending, Ctx>();
  for (const { ctx, pending } of works) {
    for (const p of pending) {
      sender.set(p, ctx);
      if (!firsts.has(key(p.mutation.id))) firsts.set(key(p.mutation.id), p);
    }
  }
  const claims = [...firsts.values()].map((p) => {
    const ctx = sender.get(p);
    return {
      id: p.mutation.id, type: p.mutation.type.slice(0, 100), hash: p.hash,
      client: ctx?.clientId, user: ctx?.auth.userId, at: ctx?.now,
    };
  });
  // What the evidence of every push refers to, looked up in the same round trip as the claims, for
  // every push's mutations (those the claims find already recorded are not decided, so their share
  // of the answer goes unread). Status changes lock and read their action themselves.
  const bodies = works.flatMap((w) => w.pending.map((p) => w.bodies.get(p.index)))
    .filter((b): b is MutationBody => b !== undefined && 'type' in b);
  const look = bodies.some((b) => b.type === 'check.submit' || b.type === 'note.add') ? lookUp(establishmentId, bodies) : null;
  const [claimedRows = [], foundRows = []] = await together(tx, [
    {
      sql: `INSERT INTO applied_mutations (id, establishment_id, client_id, user_id, type, content_hash, status, applied_at)
     SELECT c.id, $1, c.client, c.user, c.type, c.hash, 'applied', c.at
     FROM jsonb_to_recordset($2::jsonb) AS c (id uuid, type text, hash text, client text, "user" uuid, at timestamptz)
     ORDER BY c.id
     ON CONFLICT (id) DO NOTHING RETURNING id::text AS id`,
      params: [establishmentId, JSON.stringify(claims)],
    },
    ...(look ? [look.statement] : []),
  ]);
  const claimed = new Set((claimedRows as { id: string }[]).map((r) => key(r.id)));
  const unclaimed = [...firsts.keys()].filter((id) => !claimed.has(id));
  const earlier = new Map<string, Earlier>();
  if (unclaimed.length > 0) {
    const rows = await tx.query<Earlier & { id: string }>(
      'SELECT id::text AS id, content_hash, status, reason, establishment_id::text AS establishment_id FROM applied_mutations WHERE id = ANY($1::uuid[])',
      [unclaimed],
    );
    for (const row of rows) earlier.set(key(row.id), row);
  }

  const mine = (p: Pending) => firsts.get(key(p.mutation.id)) === p && claimed.has(key(p.mutation.id));
  const found = look ? look.read(foundRows) : NOTHING_FOUND(establishmentId);
  const written: Written = { days: new Map(), evidence: [], log: [] };
  const outcomes = new Map<string, Outcome>();
  const unclaim: string[] = [];
  const rejected: { id: string; reason: string }[] = [];
  const allAnswers: Map<number, PushResult>[] = [];
  for (const { ctx, pending, bodies } of works) {
    const { auth } = ctx;
    const answers = new Map<number, PushResult>();
    allAnswers.push(answers);
    const batch: Batch = { ...written, ctx, establishmentId, found };
    let stopped = false;
    for (const p of pending) {
      const { id } = p.mutation;
      if (stopped) {
        answers.set(p.index, { id, status: 'retry', reason: RETRY_EARLIER });
        if (mine(p)) unclaim.push(id);
        continue;
      }
      if (!mine(p)) {
        // Already recorded, by an earlier transaction or earlier in this one.
        const first = firsts.get(key(id));
        const decided = first === undefined || first === p ? undefined : outcomes.get(key(id));
        if (decided?.status === 'retry') {
          // Its first copy in this transaction waits for a photo: so does this one.
          answers.set(p.index, { id, status: 'retry', reason: decided.reason });
          continue;
        }
        const record = decided
          ? { content_hash: first?.hash ?? '', status: decided.status === 'applied' ? 'applied' as const : 'rejected' as const,
              reason: decided.status === 'rejected' ? decided.reason : null, establishment_id: auth.establishmentId }
          : earlier.get(key(id));
        answers.set(p.index, answerAgain(ctx, p, record));
        continue;
      }
      const body = bodies.get(p.index);
      if (body === undefined) throw new Error(`mutation ${id} was claimed but not parsed`);
      const outcome = 'type' in body ? await applyBody(tx, ctx, batch, body) : body;
      outcomes.set(key(id), outcome);
      if (outcome.status === 'retry') {
        stopped = true;
        unclaim.push(id);
      } else if (outcome.status === 'rejected') {
        rejected.push({ id, reason: outcome.reason });
      }
      answers.set(p.index, { id, ...outcome });
    }
  }

  // Not recorded, so sent again they are looked at afresh.
  if (unclaim.length > 0) await tx.query('DELETE FROM applied_mutations WHERE id = ANY($1::uuid[])', [unclaim]);
  if (rejected.length > 0) {
    await tx.query(
      `UPDATE applied_mutations m SET status = 'rejected', reason = r.reason
       FROM jsonb_to_recordset($1::jsonb) AS r (id uuid, reason text) WHERE m.id = r.id`,
      [JSON.stringify(rejected)],
    );
  }
  const hashes = await storeEvidence(tx, establishmentId, written.evidence);
  const log = written.log.flatMap((item): AuditedItem[] => {
    if ('audited' in item) return [item.audited];
    const row = item.evidence;
    const hash = hashes.get(key(row.id));
    if (hash === undefined) throw new Error(`no evidence ${row.id} to chain`);
    const at = item.ctx.now;
    // In the tamper-evident chain with a hash of what was just stored, links and photo references included.
    return [
      { at, by: { actorId: item.ctx.auth.userId, deviceId: item.ctx.clientId },
        change: { action: 'evidence.submit', entityType: row.kind, entityId: row.id, details: { hash } } },
      { at, logged: { entity: 'check', entityId: row.id } },
    ];
  });
  const last = works.at(-1)?.ctx.now ?? new Date();
  await auditBatch(tx, establishmentId, last, log);
  return allAnswers;
}

/** Pushes of one establishment waiting for a transaction, and what this process is writing for it. */
interface Lane {
  running: number;
  queue: {
    work: PushWork;
    /** Its mutation ids, as the database compares them. */
    ids: string[];
    resolve: (answers: Map<number, PushResult>) => void;
    reject: (error: unknown) => void;
  }[];
  /** Mutation ids in the transactions running, each with how many of them hold it. */
  writing: Map<string, number>;
}

/**
 * Pushes of one establishment are written together (group commit). Its change log and audit chain
 * are numbered on its establishment's row, which a transaction holds from its last statement to
 * the end of its commit, the flush to disk included: one transaction per push made every push of
 * an establishment wait its turn for that row and a flush of its own (bench:ingest: 50 tablets
 * bound at one push per ~11 ms on the row alone). So each process writes at most GROUPS_AT_ONCE
 * transactions per establishment at a time, and the pushes that arrive meanwhile go, in order of
 * arrival, into the next ones: a lone push starts at once, a crowd shares the row and the flush.
 * Two at a time, so one group's statements run while the other's commit flushes, each taking half
 * of those waiting when it starts (so neither sits idle while the other takes a crowd). A push sent
 * again while its first copy is being written (a tablet that gave up waiting) waits for that
 * transaction to end instead of joining another, whose claims would queue behind it.
 */
const GROUPS_AT_ONCE = 2;
/** A group stops growing here too: no transaction of more than a few thousand rows. */
const GROUP_MUTATIONS = 1000;
const LANES = new WeakMap<Db, Map<string, Lane>>();

function writeInGroup(db: Db, work: PushWork): Promise<Map<number, PushResult>> {
  let lanes = LANES.get(db);
  if (!lanes) {
    lanes = new Map();
    LANES.set(db, lanes);
  }
  const establishmentId = work.ctx.auth.establishmentId;
  let lane = lanes.get(establishmentId);
  if (!lane) {
    lane = { running: 0, queue: [], writing: new Map() };
    lanes.set(establishmentId, lane);
  }
  const answer = new Promise<Map<number, PushResult>>((resolve, reject) => {
    lane.queue.push({ work, ids: work.pending.map((p) => key(p.mutation.id)), resolve, reject });
  });
  if (lane.running < GROUPS_AT_ONCE) void runLane(db, lanes, establishmentId, lane);
  return answer;
}

/** Whether a running transaction is writing one of this queued push's ids (it then waits for that one to end). */
const isBeingWritten = (lane: Lane, queued: Lane['queue'][number]) => queued.ids.some((id) => lane.writing.has(id));

/** The next group, in order of arrival, leaving in the queue any push whose ids a running transaction is writing. */
function takeGroup(lane: Lane): Lane['queue'] {
  const group: Lane['queue'] = [];
  // Its share of the queue: the rest for the other transaction, so both keep working on a crowd.
  const share = Math.ceil(lane.queue.length / GROUPS_AT_ONCE);
  let size = 0;
  for (let i = 0; i < lane.queue.length && group.length < share;) {
    const next = lane.queue[i];
    if (!next) break;
    if (group.length > 0 && size + next.work.pending.length > GROUP_MUTATIONS) break;
    if (isBeingWritten(lane, next)) {
      i += 1;
      continue;
    }
    group.push(next);
    size += next.work.pending.length;
    lane.queue.splice(i, 1);
  }
  return group;
}

/** Whether the queue holds a push that no running transaction is writing. */
const hasTakeable = (lane: Lane) => lane.queue.some((queued) => !isBeingWritten(lane, queued));

async function runLane(db: Db, lanes: Map<string, Lane>, establishmentId: string, lane: Lane): Promise<void> {
  lane.running += 1;
  try {
    // Until nothing is left that this runner may write: what waits on a running transaction is taken by its runner next.
    while (hasTakeable(lane)) await writeGroup(db, lane);
  } finally {
    lane.running -= 1;
    if (lane.running === 0 && lane.queue.length === 0) lanes.delete(establishmentId);
  }
}

/**
 * Writes the lane's next group in one transaction. The group is taken once the transaction has its
 * connection and has begun, right before its first statement, not when it was asked for: the
 * pushes that arrive meanwhile join it rather than wait for it to end (a crowd arriving together
 * made lone-push transactions of its first arrivals while the rest queued behind them).
 */
async function writeGroup(db: Db, lane: Lane): Promise<void> {
  const held: { group: Lane['queue'] | null } = { group: null };
  const ids: string[] = [];
  const take = () => {
    const group = takeGroup(lane);
    held.group = group;
    for (const g of group) ids.push(...g.ids);
    for (const id of ids) lane.writing.set(id, (lane.writing.get(id) ?? 0) + 1);
    return group;
  };
  try {
    let failed: Lane['queue'];
    try {
      const answers = await db.transaction((tx) => applyInTransaction(tx, take().map((g) => g.work)));
      const group = held.group ?? [];
      for (const [i, g] of group.entries()) g.resolve(answers[i] ?? new Map<number, PushResult>());
      return;
    } catch (error) {
      // Failed before its first statement (no connection, say): the pushes it would have taken answer for it.
      failed = held.group ?? take();
      const [only] = failed;
      if (failed.length <= 1) {
        only?.reject(error);
        return;
      }
    }
    // Something in one push failed the transaction: each is written alone, so only that push's own fails.
    for (const g of failed) {
      try {
        const [answers] = await db.transaction((tx) => applyInTransaction(tx, [g.work]));
        g.resolve(answers ?? new Map<number, PushResult>());
      } catch (error) {
        g.reject(error);
      }
    }
  } finally {
    for (const id of ids) {
      const n = (lane.writing.get(id) ?? 1) - 1;
      if (n === 0) lane.writing.delete(id);
      else lane.writing.set(id, n);
    }
  }
}

/** The id a malformed mutation is answered by, so the device can match the answer; '' if it has none usable. */
function idOf(raw: unknown): string {
  const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
  return typeof id === 'string' && id.length <= 100 ? id : '';
}

/**
 * Applies a device's batch in order, in one transaction (applyInTransaction), each mutation
 * answered on its own with its record in applied_mutations. Whatever is wrong with one mutation
 * (its envelope or its content) is answered `rejected` for that one alone, with a reason a person
 * can read; a photo not uploaded yet or a transient failure answers `retry`, for it and the rest
 * (later mutations may depend on it: a correction on its original), so the device keeps its order.
 * If storing the batch fails otherwise, it is applied again one mutation per transaction, so the
 * one at fault is refused alone (its error logged) and the others are stored.
 */
export async function applyPush(
  db: Db,
  auth: AuthContext,
  request: { clientId: string; protocol: number; mutations: readonly unknown[] },
  now: Date,
  onError: (error: unknown, mutationId: string) => void = () => undefined,
): Promise<PushResult[]> {
  const ctx: Ctx = { auth, clientId: request.clientId, now, onError };
  const results: PushResult[] = request.mutations.map((raw) => ({ id: idOf(raw), status: 'retry', reason: RETRY_EARLIER }));
  const pending: Pending[] = [];
  for (const [index, raw] of request.mutations.entries()) {
    const envelope = PushedMutation.safeParse(raw);
    if (!envelope.success) {
      results[index] = { id: idOf(raw), status: 'rejected', reason: `It is malformed (${firstIssue(envelope.error)}).` };
      continue;
    }
    const mutation = envelope.data;
    // Bounded before anything walks it (the content hash recurses): refused alone, and not recorded.
    if (nestedDeeperThan(mutation.payload, MAX_JSON_DEPTH)) {
      results[index] = { id: mutation.id, status: 'rejected', reason: `It is malformed (payload: nests more than ${MAX_JSON_DEPTH} levels deep; no change this app makes does).` };
      continue;
    }
    pending.push({ index, mutation, hash: contentHash(mutation) });
  }
  if (pending.length === 0) return results;
  const answer = (answers: Map<number, PushResult>) => {
    for (const [index, result] of answers) results[index] = result;
  };
  // A retry stops the push: nothing after the first mutation answered `retry` is looked at (answered retry too).
  const stopFrom = (index: number, reason?: string) => {
    const first = results[index];
    if (first) results[index] = { id: first.id, status: 'retry', reason: reason ?? first.reason ?? RETRY_EARLIER };
    for (let i = index + 1; i < results.length; i += 1) results[i] = { id: results[i]?.id ?? '', status: 'retry', reason: RETRY_EARLIER };
    return results;
  };
  const stopAtFirstRetry = () => {
    const cut = results.findIndex((r) => r.status === 'retry');
    return cut < 0 ? results : stopFrom(cut);
  };
  const bodies = new Map(pending.map((p) => [p.index, parseBody(ctx, p.mutation)]));
  try {
    answer(await writeInGroup(db, { ctx, pending, bodies }));
    return stopAtFirstRetry();
  } catch (error) {
    if (isTransientDbError(error)) return stopFrom(pending[0]?.index ?? 0, RETRY_DATABASE);
  }
  // Something in the batch failed to store: one transaction per mutation finds which.
  for (const p of pending) {
    try {
      const alone: PushWork = { ctx, pending: [p], bodies };
      const [answers = new Map<number, PushResult>()] = await db.transaction((tx) => applyInTransaction(tx, [alone]));
      answer(answers);
      if (answers.get(p.index)?.status === 'retry') return stopFrom(p.index);
    } catch (error) {
      if (isTransientDbError(error)) return stopFrom(p.index, RETRY_DATABASE);
      // Not this change's fault as far as the server can tell, but it would fail the same way again:
      // refused alone (never a 500 for the batch), kept on the device, to be sent again once fixed.
      ctx.onError(error, p.mutation.id);
      results[p.index] = { id: p.mutation.id, status: 'rejected', reason: SERVER_FAILED };
    }
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
  presence: unknown;
}

/** A check as a device before protocol 4 reads it: its photo references without `redacted`, which it would refuse. */
function withoutRedaction(check: ServerCheck): ServerCheck {
  return {
    ...check,
    photos: check.photos.map((photo) => {
      const ref = { ...photo };
      delete ref.redacted;
      return ref;
    }),
  };
}

/** Checks and notes of an establishment by id, as devices and reviewers see them. */
export async function loadChecks(db: Queryable, establishmentId: string, ids: readonly string[]): Promise<ServerCheck[]> {
  if (ids.length === 0) return [];
  const rows = await db.query<CheckRow>(
    `SELECT c.id, c.kind, c.template_version_id, c.schedule_id, to_char(c.due_on, 'YYYY-MM-DD') AS due_on, c.unit_id, c.landing,
            c.author_id, u.display_name AS author_name, c.answers, c.note, c.started_at, c.submitted_at, c.received_at, c.supersedes,
            c.presence,
            ARRAY(SELECT ca.action_id FROM check_actions ca WHERE ca.check_id = c.id ORDER BY ca.action_id) AS action_ids,
            COALESCE((SELECT json_agg(json_build_object('sha256', p.sha256, 'mime', p.mime, 'size', p.size, 'width', p.width,
                        'height', p.height, 'itemId', p.item_id, 'redacted', p.redacted) ORDER BY p.position)
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
    presence: r.presence === null ? null : (fromJsonColumn(r.presence) as CheckPresence),
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
  /** The protocol the device speaks: one before 3 is never sent a `gap` change, which it could not read. */
  protocol = PROTOCOL_VERSION,
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
  const gaps = new Map(
    protocol >= 3 ? (await loadGaps(db, establishmentId, page.filter((r) => r.entity === 'gap').map((r) => r.entity_id))).map((g) => [g.id, g]) : [],
  );
  const changes: Change[] = [];
  for (const row of page) {
    if (row.entity === 'check') {
      const data = byId.get(row.entity_id);
      if (data) {
        changes.push({ seq: row.seq, entity: 'check', id: row.entity_id, data: protocol >= 4 ? data : withoutRedaction(data) });
      }
    } else if (row.entity === 'review') {
      const data = reviews.get(row.entity_id);
      if (data) changes.push({ seq: row.seq, entity: 'review', id: row.entity_id, data });
    } else if (row.entity === 'gap') {
      const data = gaps.get(row.entity_id);
      if (data) changes.push({ seq: row.seq, entity: 'gap', id: row.entity_id, data });
    } else if (row.entity === 'reference') {
      changes.push({ seq: row.seq, entity: 'reference', id: row.entity_id as Extract<Change, { entity: 'reference' }>['id'] });
    }
  }
  return { changes, cursor: page.at(-1)?.seq ?? cursor, hasMore: rows.length > limit };
}
