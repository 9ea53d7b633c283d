/**
 * Reads an evidence pack from the database a page at a time: the scope and its counts first, then
 * its actions, its evidence and its audit trail, each walked by keyset pagination so that a pack of
 * thousands of checks is never held in memory at once. The PDF and CSV writers share it.
 */
import type { CheckPresence } from '../../../../src/shared/api/sync.ts';
import type { SignOff } from '../../../../src/shared/api/sign-off.ts';
import { signOffsOf } from '../sign-off.ts';
import type { ExportRequest, ExportScope, ExportScopeKind } from '../../../../src/shared/api/export.ts';
import type { Answer, TemplateVersion as TemplateVersionType } from '../../../../src/shared/templates/schema.ts';
import { TemplateVersion } from '../../../../src/shared/templates/schema.ts';
import type { AuditLogRow } from '../../audit.ts';
import type { AuthContext } from '../../auth/sessions.ts';
import type { Queryable, SqlParam } from '../../db/client.ts';
import { notInMyEstablishment } from '../../scope.ts';
import { ACTION_REF_SQL } from '../action-ref.ts';
import type { ActionRow } from '../actions.ts';
import { answerLines, type AnswerLine } from './words.ts';
import { fromJsonColumn } from '../../db/json.ts';
import type { CheckRow } from '../sync.ts';
import type { TemplateVersionRow } from '../templates.ts';

export interface EvidencePack {
  scope: ExportScope;
  /** Local dates, both included, in the establishment's time zone. */
  from: string;
  to: string;
  /** The pack shows the record as it stood at this instant: evidence received and reviews made since are left out. */
  asOf: Date;
  establishment: { id: string; name: string; timeZone: string };
  requestedBy: string;
  plan: { id: string; title: string; version: number };
  /** "Action 1.3", "Concern 1" or "The whole plan", and the action's or concern's text. */
  scopeTitle: string;
  scopeText: string | null;
  /** "action-1.3", "concern-1" or "plan", for the file name. */
  fileStem: string;
  /** The establishment's audit chain head when the pack was made: a checkpoint kept outside the database. */
  auditHead: { seq: number; hash: string };
}

/** Who a pack is made for: a signed-in person, or the person a queued pack was asked for by. */
export type PackRequester = Pick<AuthContext, 'establishmentId' | 'establishmentName' | 'displayName'>;

/** Hears how far a writer has got: pieces of evidence written of those the pack holds. */
export type PackProgress = (done: number, total: number) => void;

export interface PackCounts {
  actions: number;
  checks: number;
  notes: number;
  photos: number;
  accepted: number;
  returned: number;
}

/** An action in a pack: its own columns (as the one action row has them) and its evidence in the period. */
export interface ActionSummary extends Pick<ActionRow, 'id' | 'ref' | 'text' | 'owner' | 'target' | 'due' | 'status'> {
  evidence: number;
  lastEvidenceAt: Date | null;
  /** The latest sign-off, checked against the evidence as it stands. */
  signOff: SignOff | null;
}

export interface EvidencePhoto {
  sha256: string;
  mime: string;
  itemId: string | null;
  width: number;
  height: number;
  /** Areas were blurred on the device before it was kept: the pack says so beside it. */
  redacted: boolean;
}

export interface Evidence {
  id: string;
  kind: 'check' | 'note';
  submittedAt: Date;
  authorName: string;
  unitName: string | null;
  landing: string | null;
  /** Null for a note, or a check whose template version could not be read. */
  template: { title: string; version: number } | null;
  actionRefs: string[];
  /** A check's answers in the template's order, ready to print; empty for a note. */
  lines: AnswerLine[];
  /** A note's text (checks carry their notes on their answers). */
  note: string;
  /** Photos of the whole check or note, not of one item. */
  photos: EvidencePhoto[];
  /** Photos of one item, by item id. */
  itemPhotos: EvidencePhoto[];
  supersedes: string | null;
  /** How presence was recorded on a check (null: not recorded, or a note). */
  presence: CheckPresence | null;
  review: { decision: 'accepted' | 'returned'; reason: string | null; reviewerName: string; reviewedAt: Date } | null;
}

export interface AuditTrailEntry {
  seq: string;
  at: Date;
  actor: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  details: Record<string, unknown>;
}

/** The actions of a scope, with `a` the action and `r` its recommendation; $2 is the scope's id. */
const IN_SCOPE: Record<ExportScopeKind, string> = {
  action: 'a.id = $2',
  recommendation: 'a.recommendation_id = $2',
  plan: 'r.plan_id = $2',
};

/**
 * Evidence (`c`) of the establishment ($1) submitted between the local dates $3 and $4 inclusive, in
 * the time zone $5, and received by $6. Bounds as instants rather than a cast of submitted_at, so the
 * (establishment_id, submitted_at) index serves it.
 */
const CHECK_WINDOW = `c.establishment_id = $1 AND c.received_at <= $6
  AND c.submitted_at >= ($3::date::timestamp AT TIME ZONE $5) AND c.submitted_at < (($4::date + 1)::timestamp AT TIME ZONE $5)`;

const checkInScope = (kind: ExportScopeKind) => `${CHECK_WINDOW} AND EXISTS (
  SELECT 1 FROM check_actions ca JOIN actions a ON a.id = ca.action_id JOIN recommendations r ON r.id = a.recommendation_id
  JOIN plans p ON p.id = r.plan_id
  WHERE ca.check_id = c.id AND p.establishment_id = $1 AND ${IN_SCOPE[kind]})`;

/** The decision standing at $6 on evidence `c`: the latest one made by then. */
const CURRENT_REVIEW = `LEFT JOIN LATERAL (
  SELECT v.decision, v.reason, vu.display_name AS reviewer_name, v.reviewed_at FROM reviews v JOIN users vu ON vu.id = v.reviewer_id
  WHERE v.check_id = c.id AND v.reviewed_at <= $6 ORDER BY v.reviewed_at DESC, v.id DESC LIMIT 1) rv ON true`;

/** $1..$6 of every query that reads the pack's window. */
function windowParams(pack: EvidencePack): SqlParam[] {
  return [pack.establishment.id, pack.scope.id, pack.from, pack.to, pack.establishment.timeZone, pack.asOf];
}

const fileSafe = (text: string) => text.replace(/[^A-Za-z0-9.-]+/g, '-').replace(/^-+|-+$/g, '') || 'scope';

interface ScopeRow {
  plan_id: string;
  plan_title: string;
  plan_version: number;
  /** The concern's ref, or the action's own (actionRef); null for the whole plan. */
  ref: string | null;
  text: string | null;
}

const SCOPE_QUERY: Record<ExportScopeKind, string> = {
  plan: `SELECT p.id AS plan_id, p.title AS plan_title, p.version AS plan_version, NULL AS ref, NULL AS text
         FROM plans p WHERE p.id = $1 AND p.establishment_id = $2`,
  recommendation: `SELECT p.id AS plan_id, p.title AS plan_title, p.version AS plan_version, r.ref,
                     COALESCE(r.concern, r.recommendation) AS text
                   FROM recommendations r JOIN plans p ON p.id = r.plan_id WHERE r.id = $1 AND p.establishment_id = $2`,
  action: `SELECT p.id AS plan_id, p.title AS plan_title, p.version AS plan_version, ${ACTION_REF_SQL} AS ref, a.text
           FROM actions a JOIN recommendations r ON r.id = a.recommendation_id JOIN plans p ON p.id = r.plan_id
           WHERE a.id = $1 AND p.establishment_id = $2`,
};

/** "The whole plan", "Concern 1", "Action 1.3", and a file name part. */
function scopeNames(kind: ExportScopeKind, row: ScopeRow): { title: string; fileStem: string } {
  const ref = row.ref ?? '';
  if (kind === 'plan') return { title: 'The whole plan', fileStem: 'plan' };
  if (kind === 'recommendation') return { title: `Concern ${ref}`, fileStem: fileSafe(`concern-${ref}`) };
  return { title: `Action ${ref}`, fileStem: fileSafe(`action-${ref}`) };
}

const SCOPE_WORDS: Record<ExportScopeKind, { table: 'actions' | 'recommendations' | 'plans'; what: string; elsewhere: string }> = {
  action: { table: 'actions', what: 'Action', elsewhere: 'That action belongs to another establishment.' },
  recommendation: { table: 'recommendations', what: 'Concern', elsewhere: 'That concern belongs to another establishment.' },
  plan: { table: 'plans', what: 'Plan', elsewhere: 'That plan belongs to another establishment.' },
};

/**
 * The pack a signed-in person asked for, if its scope is their establishment's: 403 for another
 * establishment's, 404 for none. Called before the reply starts, so refusals are ordinary JSON errors.
 */
export async function openPack(db: Queryable, auth: PackRequester, request: ExportRequest, asOf: Date): Promise<EvidencePack> {
  const { scope } = request;
  const [row] = await db.query<ScopeRow>(SCOPE_QUERY[scope.kind], [scope.id, auth.establishmentId]);
  if (!row) {
    const words = SCOPE_WORDS[scope.kind];
    throw await notInMyEstablishment(db, words.table, scope.id, words.what, words.elsewhere);
  }
  const [establishment] = await db.query<{ name: string; time_zone: string; audit_seq: string; audit_head: string }>(
    'SELECT name, time_zone, audit_seq::text AS audit_seq, audit_head FROM establishments WHERE id = $1',
    [auth.establishmentId],
  );
  const names = scopeNames(scope.kind, row);
  return {
    scope,
    from: request.from,
    to: request.to,
    asOf,
    establishment: { id: auth.establishmentId, name: establishment?.name ?? auth.establishmentName, timeZone: establishment?.time_zone ?? 'Europe/London' },
    requestedBy: auth.displayName,
    plan: { id: row.plan_id, title: row.plan_title, version: row.plan_version },
    scopeTitle: names.title,
    scopeText: row.text,
    fileStem: names.fileStem,
    auditHead: { seq: Number(establishment?.audit_seq ?? 0), hash: establishment?.audit_head ?? '' },
  };
}

export async function countPack(db: Queryable, pack: EvidencePack): Promise<PackCounts> {
  const [row] = await db.query<PackCounts>(
    `SELECT (SELECT count(*)::int FROM actions a JOIN recommendations r ON r.id = a.recommendation_id JOIN plans p ON p.id = r.plan_id
             WHERE p.establishment_id = $1 AND ${IN_SCOPE[pack.scope.kind]}) AS actions,
            count(*) FILTER (WHERE c.kind = 'check')::int AS checks,
            count(*) FILTER (WHERE c.kind = 'note')::int AS notes,
            COALESCE(sum((SELECT count(*) FROM check_photos ph WHERE ph.check_id = c.id)), 0)::int AS photos,
            count(*) FILTER (WHERE rv.decision = 'accepted')::int AS accepted,
            count(*) FILTER (WHERE rv.decision = 'returned')::int AS returned
     FROM checks c ${CURRENT_REVIEW}
     WHERE ${checkInScope(pack.scope.kind)}`,
    windowParams(pack),
  );
  return row ?? { actions: 0, checks: 0, notes: 0, photos: 0, accepted: 0, returned: 0 };
}

/** The scope's actions in plan order, archived ones included (their evidence stays in the record). */
export async function* actionPages(db: Queryable, pack: EvidencePack, pageSize = 200): AsyncGenerator<ActionSummary[]> {
  let after: [number, string, number] = [-1, '00000000-0000-0000-0000-000000000000', -1];
  for (;;) {
    const rows = await db.query<{
      id: string;
      ref: string;
      rec_position: number;
      rec_id: string;
      position: number;
      text: string;
      owner: string | null;
      target: string | null;
      due: string | null;
      status: string;
      evidence: number;
      last_evidence_at: Date | null;
    }>(
      `SELECT a.id, ${ACTION_REF_SQL} AS ref, r.position AS rec_position, r.id AS rec_id, a.position, a.text, a.owner, a.target,
              to_char(a.due, 'YYYY-MM-DD') AS due, a.status,
              (SELECT count(*)::int FROM check_actions e JOIN checks c ON c.id = e.check_id WHERE e.action_id = a.id AND ${CHECK_WINDOW}) AS evidence,
              (SELECT max(c.submitted_at) FROM check_actions e JOIN checks c ON c.id = e.check_id WHERE e.action_id = a.id AND ${CHECK_WINDOW})
                AS last_evidence_at
       FROM actions a JOIN recommendations r ON r.id = a.recommendation_id JOIN plans p ON p.id = r.plan_id
       WHERE p.establishment_id = $1 AND ${IN_SCOPE[pack.scope.kind]} AND (r.position, r.id, a.position) > ($7::int, $8::uuid, $9::int)
       ORDER BY r.position, r.id, a.position LIMIT $10`,
      [...windowParams(pack), ...after, pageSize],
    );
    if (rows.length > 0) {
      const signOffs = await signOffsOf(db, pack.establishment.id, rows.map((r) => r.id));
      yield rows.map((r) => ({
        id: r.id,
        ref: r.ref,
        text: r.text,
        owner: r.owner,
        target: r.target,
        due: r.due,
        status: r.status,
        evidence: r.evidence,
        lastEvidenceAt: r.last_evidence_at,
        signOff: signOffs.get(r.id) ?? null,
      }));
    }
    const last = rows.at(-1);
    if (!last || rows.length < pageSize) return;
    after = [last.rec_position, last.rec_id, last.position];
  }
}

/** A check's row as a pack reads it: its unit's name, its actions' refs and its current review. */
type EvidenceRow = Pick<
  CheckRow,
  'id' | 'kind' | 'submitted_at' | 'template_version_id' | 'landing' | 'note' | 'answers' | 'supersedes' | 'author_name' | 'photos' | 'presence'
> & {
  /** submitted_at as text, so its microseconds survive as a cursor. */
  cursor_at: string;
  unit_name: string | null;
  action_refs: string[];
  review_decision: 'accepted' | 'returned' | null;
  review_reason: string | null;
  reviewer_name: string | null;
  reviewed_at: Date | null;
};

/**
 * Template versions by id, read once per pack: checks name the version they were made with, and a
 * pack of a thousand checks uses a handful of versions.
 */
class TemplateCache {
  private readonly versions = new Map<string, TemplateVersionType | null>();

  constructor(
    private readonly db: Queryable,
    private readonly establishmentId: string,
  ) {}

  async load(ids: readonly string[]): Promise<void> {
    const missing = [...new Set(ids)].filter((id) => !this.versions.has(id));
    if (missing.length === 0) return;
    const rows = await this.db.query<Pick<TemplateVersionRow, 'id' | 'definition'>>(
      `SELECT v.id, v.definition FROM template_versions v JOIN templates t ON t.id = v.template_id
       WHERE v.id = ANY($1::uuid[]) AND t.establishment_id = $2`,
      [missing, this.establishmentId],
    );
    for (const id of missing) this.versions.set(id, null);
    for (const row of rows) {
      const parsed = TemplateVersion.safeParse(fromJsonColumn(row.definition));
      this.versions.set(row.id, parsed.success ? parsed.data : null);
    }
  }

  get(id: string | null): TemplateVersionType | null {
    return id === null ? null : (this.versions.get(id) ?? null);
  }
}

/** The scope's evidence in the window, oldest first, `pageSize` at a time. */
export async function* evidencePages(db: Queryable, pack: EvidencePack, pageSize = 100): AsyncGenerator<Evidence[]> {
  const templates = new TemplateCache(db, pack.establishment.id);
  // Keyset: (submitted_at, id) after the last row read. submitted_at travels as text so its microseconds survive.
  let after: [string, string] = ['-infinity', '00000000-0000-0000-0000-000000000000'];
  for (;;) {
    const rows = await db.query<EvidenceRow>(
      `SELECT c.id, c.kind, c.submitted_at, c.submitted_at::text AS cursor_at, c.template_version_id, c.landing, c.note, c.answers,
              c.supersedes, c.presence, au.display_name AS author_name, un.name AS unit_name,
              ARRAY(SELECT ${ACTION_REF_SQL} FROM check_actions ca JOIN actions a ON a.id = ca.action_id
                    JOIN recommendations r ON r.id = a.recommendation_id
                    WHERE ca.check_id = c.id ORDER BY r.position, a.position) AS action_refs,
              COALESCE((SELECT json_agg(json_build_object('sha256', ph.sha256, 'mime', ph.mime, 'itemId', ph.item_id,
                          'width', ph.width, 'height', ph.height, 'redacted', ph.redacted) ORDER BY ph.position)
                        FROM check_photos ph WHERE ph.check_id = c.id), '[]'::json) AS photos,
              rv.decision AS review_decision, rv.reason AS review_reason, rv.reviewer_name, rv.reviewed_at
       FROM checks c JOIN users au ON au.id = c.author_id LEFT JOIN units un ON un.id = c.unit_id
       ${CURRENT_REVIEW}
       WHERE ${checkInScope(pack.scope.kind)} AND (c.submitted_at, c.id) > ($7::timestamptz, $8::uuid)
       ORDER BY c.submitted_at, c.id LIMIT $9`,
      [...windowParams(pack), ...after, pageSize],
    );
    await templates.load(rows.flatMap((r) => (r.template_version_id ? [r.template_version_id] : [])));
    if (rows.length > 0) yield rows.map((row) => toEvidence(row, templates.get(row.template_version_id)));
    const last = rows.at(-1);
    if (!last || rows.length < pageSize) return;
    after = [last.cursor_at, last.id];
  }
}

function toEvidence(row: EvidenceRow, template: TemplateVersionType | null): Evidence {
  const photos = fromJsonColumn(row.photos) as EvidencePhoto[];
  const answers = fromJsonColumn(row.answers) as Answer[];
  const review = row.review_decision && row.reviewed_at
    ? { decision: row.review_decision, reason: row.review_reason, reviewerName: row.reviewer_name ?? 'Unknown', reviewedAt: row.reviewed_at }
    : null;
  return {
    id: row.id,
    kind: row.kind,
    submittedAt: row.submitted_at,
    authorName: row.author_name,
    unitName: row.unit_name,
    landing: row.landing,
    template: template ? { title: template.title, version: template.version } : null,
    actionRefs: row.action_refs,
    lines: row.kind === 'check' ? answerLines(template, answers, photos) : [],
    note: row.note,
    photos: photos.filter((p) => p.itemId === null),
    itemPhotos: photos.filter((p) => p.itemId !== null),
    supersedes: row.supersedes,
    presence: row.presence === null ? null : (fromJsonColumn(row.presence) as CheckPresence),
    review,
  };
}

/**
 * The audit trail of the pack: changes to its actions within the date range, and everything
 * recorded about its evidence (reviews) up to the pack's instant, in the log's order.
 */
export async function* auditPages(db: Queryable, pack: EvidencePack, pageSize = 500): AsyncGenerator<AuditTrailEntry[]> {
  let after = '0';
  for (;;) {
    const rows = await db.query<Pick<AuditLogRow, 'seq' | 'at' | 'action' | 'entity_type' | 'entity_id' | 'details'> & { actor: string | null }>(
      `SELECT l.seq::text AS seq, l.at, u.display_name AS actor, l.action, l.entity_type, l.entity_id, l.details
       FROM audit_log l LEFT JOIN users u ON u.id = l.actor_id
       WHERE l.establishment_id = $1 AND l.at <= $6 AND l.seq > $7::bigint AND (
         (l.entity_type = 'action'
           AND l.at >= ($3::date::timestamp AT TIME ZONE $5) AND l.at < (($4::date + 1)::timestamp AT TIME ZONE $5)
           AND l.entity_id IN (SELECT a.id::text FROM actions a JOIN recommendations r ON r.id = a.recommendation_id
                               WHERE ${IN_SCOPE[pack.scope.kind]}))
         OR (l.entity_type = 'check' AND l.entity_id IN (SELECT c.id::text FROM checks c WHERE ${checkInScope(pack.scope.kind)})))
       ORDER BY l.seq LIMIT $8`,
      [...windowParams(pack), after, pageSize],
    );
    if (rows.length > 0) {
      yield rows.map((r) => ({
        seq: r.seq,
        at: r.at,
        actor: r.actor,
        action: r.action,
        entityType: r.entity_type,
        entityId: r.entity_id,
        details: (fromJsonColumn(r.details) ?? {}) as Record<string, unknown>,
      }));
    }
    const last = rows.at(-1);
    if (!last || rows.length < pageSize) return;
    after = last.seq;
  }
}
