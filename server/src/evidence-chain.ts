import { audit } from './audit-request.ts';
import type { Db, Queryable } from './db/client.ts';

/**
 * Evidence in the tamper-evident chain. Each piece of evidence (a check or a note, with the
 * actions it is linked to and its photo references) enters the establishment's audit chain as it
 * is stored, carrying a hash of the stored record; each review decision already does. Verifying
 * then re-computes every record's hash from what is stored now and matches it, both ways, to the
 * chain: a check edited, deleted or slipped in without its audit row shows, and the audit rows
 * cannot be altered without breaking the chain itself.
 *
 * The hash is computed by the database from the stored columns, written out in a fixed form
 * (timestamps in UTC, jsonb in its canonical text), so it reads the same on PGlite and
 * PostgreSQL, at insert and at verification, whatever the session's time zone.
 */

const EVIDENCE_ACTIONS = ['evidence.submit', 'evidence.enter-chain'] as const;

/** The migration after which evidence is chained as it arrives; what was stored before enters once, at start. */
export const EVIDENCE_CHAIN_MIGRATION = '0012_evidence_in_the_audit_chain';

const utc = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** A check's action ids as its hash takes them, aggregated over rows `ca` of check_actions' shape. */
export const ACTION_IDS_AGG = 'COALESCE(jsonb_agg(ca.action_id ORDER BY ca.action_id), \'[]\'::jsonb)';
/** A check's photo references as its hash takes them, aggregated over rows `p` of check_photos' shape. */
export const PHOTO_REFS_AGG = `COALESCE(jsonb_agg(jsonb_build_array(p.position, p.sha256, p.item_id, p.mime, p.size, p.width, p.height)
      -- A redacted photo (migration 0021) says so; any other hashes as it always did.
      || CASE WHEN p.redacted THEN '[true]'::jsonb ELSE '[]'::jsonb END
    ORDER BY p.position), '[]'::jsonb)`;

/**
 * The hash of the stored record of the check `c`, with its action ids and photo references (as
 * ACTION_IDS_AGG and PHOTO_REFS_AGG make them) given by `actions` and `photos`: by default read
 * from the tables; a push passes them aggregated from the rows it is inserting (RETURNING them),
 * so it hashes what it stores in the same statement. One expression for both, so they agree.
 */
export const EVIDENCE_HASH = (
  actions = `(SELECT ${ACTION_IDS_AGG} FROM check_actions ca WHERE ca.check_id = c.id)`,
  photos = `(SELECT ${PHOTO_REFS_AGG} FROM check_photos p WHERE p.check_id = c.id)`,
) => `encode(sha256(convert_to((jsonb_build_array(
      c.id, c.kind, c.template_version_id, c.schedule_id, c.due_on, c.day, c.unit_id, c.landing,
      c.author_id, c.device_id, c.answers, c.note, ${utc('c.started_at')}, ${utc('c.submitted_at')},
      ${utc('c.received_at')}, c.supersedes, ${actions}, ${photos}
    -- Presence (migration 0018) joins the record only where there is one, so a record stored
    -- before it, or without it, hashes as it always did.
    ) || CASE WHEN c.presence IS NULL THEN '[]'::jsonb ELSE jsonb_build_array(c.presence) END)::text, 'UTF8')), 'hex')`;

/** Each check of the establishment (all, or those named by `idFilter`) with the hash of its stored record. */
const EVIDENCE_HASHES = (idFilter: string) => `
  SELECT c.id::text AS id, ${EVIDENCE_HASH()} AS hash
  FROM checks c WHERE c.establishment_id = $1 ${idFilter}`;

/**
 * Chains a piece of evidence just stored in `tx` (with its links and photo references): one audit
 * row naming it, with its record's hash. Called inside the transaction that stored it.
 */
export async function chainEvidence(
  tx: Queryable,
  entry: { establishmentId: string; checkId: string; kind: 'check' | 'note'; actorId: string; deviceId: string },
  at: Date,
  action: (typeof EVIDENCE_ACTIONS)[number] = 'evidence.submit',
): Promise<void> {
  const [stored] = await tx.query<{ hash: string }>(EVIDENCE_HASHES('AND c.id = $2'), [entry.establishmentId, entry.checkId]);
  if (!stored) throw new Error(`no evidence ${entry.checkId} to chain`);
  await audit(
    tx,
    { establishmentId: entry.establishmentId, actorId: entry.actorId, deviceId: entry.deviceId, now: at },
    { action, entityType: entry.kind, entityId: entry.checkId, details: { hash: stored.hash } },
  );
}

/**
 * Evidence stored before evidence was chained (received before the migration that began it)
 * enters the chain once, marked as entering late: a database upgraded from an earlier version
 * then verifies. Anything received after that migration without its audit row is not admitted
 * here: verification reports it. Returns how many entered.
 */
export async function chainEvidenceStoredBefore(db: Db): Promise<number> {
  const waiting = await db.query<{ id: string; establishment_id: string; kind: 'check' | 'note'; author_id: string; device_id: string }>(
    `SELECT c.id::text AS id, c.establishment_id::text AS establishment_id, c.kind, c.author_id::text AS author_id, c.device_id
     FROM checks c
     WHERE c.received_at <= (SELECT applied_at FROM schema_migrations WHERE version = $1)
       AND NOT EXISTS (SELECT 1 FROM audit_log l WHERE l.establishment_id = c.establishment_id
                       AND l.entity_id = c.id::text AND l.action = ANY($2::text[]))
     ORDER BY c.received_at, c.id`,
    [EVIDENCE_CHAIN_MIGRATION, EVIDENCE_ACTIONS],
  );
  const at = new Date();
  for (const row of waiting) {
    await db.transaction((tx) =>
      chainEvidence(
        tx,
        {
          establishmentId: row.establishment_id, checkId: row.id, kind: row.kind,
          actorId: row.author_id, deviceId: row.device_id,
        },
        at,
        'evidence.enter-chain',
      ),
    );
  }
  return waiting.length;
}

/**
 * Evidence (and the reviews of it) that retention removed is expected to be missing: the chain
 * holds a check.purge row for each (services/retention.ts).
 */
const NOT_PURGED = (checkId: string) => `NOT EXISTS (SELECT 1 FROM audit_log p
  WHERE p.establishment_id = $1 AND p.action = 'check.purge' AND p.entity_id = ${checkId})`;

export type EvidenceVerification = { ok: true; checks: number; reviews: number } | { ok: false; reason: string };

/** Up to five ids, for a reason a person can follow up. */
const some = (ids: readonly string[]) => `${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ` and ${ids.length - 5} more` : ''}`;

/**
 * Matches every stored check and review of the establishment to its row in the audit chain (whose
 * own integrity verifyAudit proves): the first mismatch, in words, or the counts that matched.
 */
export async function verifyEvidence(db: Queryable, establishmentId: string): Promise<EvidenceVerification> {
  const checks = await db.query<{ id: string; stored: string | null; chained: string | null }>(
    `WITH stored AS (${EVIDENCE_HASHES('')}),
          chained AS (SELECT l.entity_id AS id, l.details->>'hash' AS hash FROM audit_log l
                      WHERE l.establishment_id = $1 AND l.action = ANY($2::text[]) AND ${NOT_PURGED('l.entity_id')})
     SELECT COALESCE(s.id, c.id) AS id, s.hash AS stored, c.hash AS chained
     FROM stored s FULL JOIN chained c ON c.id = s.id`,
    [establishmentId, EVIDENCE_ACTIONS],
  );
  const missing = checks.filter((c) => c.stored === null).map((c) => c.id);
  if (missing.length > 0) return { ok: false, reason: `evidence in the audit log was deleted: ${some(missing)}` };
  const unchained = checks.filter((c) => c.chained === null).map((c) => c.id);
  if (unchained.length > 0) return { ok: false, reason: `evidence is stored that never entered the audit log: ${some(unchained)}` };
  const changed = checks.filter((c) => c.stored !== c.chained).map((c) => c.id);
  if (changed.length > 0) return { ok: false, reason: `evidence was changed after it was recorded: ${some(changed)}` };

  const reviews = await db.query<{ id: string; stored: boolean; chained: boolean; same: boolean }>(
    `WITH stored AS (SELECT r.* FROM reviews r WHERE r.establishment_id = $1),
          chained AS (SELECT l.* FROM audit_log l
                      WHERE l.establishment_id = $1 AND l.action IN ('check.accept', 'check.return') AND ${NOT_PURGED('l.entity_id')})
     SELECT COALESCE(r.id::text, c.details->>'reviewId') AS id, r.id IS NOT NULL AS stored, c.seq IS NOT NULL AS chained,
            (r.check_id::text = c.entity_id AND r.decision = c.details->>'decision'
             AND r.reason IS NOT DISTINCT FROM c.details->>'reason' AND r.reviewer_id = c.actor_id
             AND r.reviewed_at = c.at) IS TRUE AS same
     FROM stored r FULL JOIN chained c ON c.details->>'reviewId' = r.id::text`,
    [establishmentId],
  );
  const reviewGone = reviews.filter((r) => !r.stored).map((r) => r.id);
  if (reviewGone.length > 0) return { ok: false, reason: `a review decision in the audit log was deleted: ${some(reviewGone)}` };
  const reviewUnchained = reviews.filter((r) => !r.chained).map((r) => r.id);
  if (reviewUnchained.length > 0) return { ok: false, reason: `a review decision is stored that never entered the audit log: ${some(reviewUnchained)}` };
  const reviewChanged = reviews.filter((r) => !r.same).map((r) => r.id);
  if (reviewChanged.length > 0) return { ok: false, reason: `a review decision was changed after it was recorded: ${some(reviewChanged)}` };
  return { ok: true, checks: checks.length, reviews: reviews.length };
}
