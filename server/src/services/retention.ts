/**
 * Retention: evidence (checks and notes, their reviews and photos) older than the establishment's
 * period is removed, except evidence of an action still open (neither complete nor archived),
 * which stays however old: an open action must still be provable. A check that a kept correction
 * replaces is kept with it, since the correction names it.
 *
 * Each removed check leaves a `check.purge` row in the audit chain (its id, kind and when it was
 * submitted), so the chain still verifies and says what went and why; the run ends with one
 * `retention.purge` row of counts. Photos go once no remaining evidence of the establishment
 * names them, and their bytes once no establishment holds them.
 */
import type { RetentionSettings } from '../../../src/shared/api/admin.ts';
import { runPeriodically, type Timing } from '../periodic.ts';
import type { BlobStore } from '../blobs.ts';
import type { Db, Queryable } from '../db/client.ts';
import { audit, auditAs, type Actor } from '../audit-request.ts';
import { handlers } from '../endpoint-handlers.ts';
import { deleteUnheldBlob } from './photos.ts';

/** Checks removed per transaction: a big first purge never holds the chain's row for long. */
const BATCH = 500;

export interface PurgeResult {
  establishmentId: string;
  /** Evidence submitted before this was due to go. */
  before: string;
  checks: number;
  reviews: number;
  photos: number;
}

/** The moment `years` calendar years before `now` (29 February falls back to the 28th). */
export function retentionCutoff(now: Date, years: number): Date {
  const cutoff = new Date(now);
  cutoff.setUTCFullYear(cutoff.getUTCFullYear() - years);
  if (cutoff.getUTCDate() !== now.getUTCDate()) cutoff.setUTCDate(0);
  return cutoff;
}

/**
 * Of the expired checks, those that may go: a check is kept while a check that is kept names it
 * as the one it corrects. Pure, for the tests; `corrections` maps a correcting check to the one it replaces.
 */
export function removable(expired: ReadonlySet<string>, corrections: ReadonlyMap<string, string>): Set<string> {
  const going = new Set(expired);
  for (let changed = true; changed;) {
    changed = false;
    for (const [correction, replaced] of corrections) {
      if (going.has(replaced) && !going.has(correction)) {
        going.delete(replaced);
        changed = true;
      }
    }
  }
  return going;
}

export async function expiredChecks(db: Queryable, establishmentId: string, before: Date): Promise<string[]> {
  const expired = await db.query<{ id: string }>(
    `SELECT c.id FROM checks c
     WHERE c.establishment_id = $1 AND c.submitted_at < $2
       AND NOT EXISTS (SELECT 1 FROM check_actions ca JOIN actions a ON a.id = ca.action_id
                       WHERE ca.check_id = c.id AND a.status NOT IN ('complete', 'archived'))`,
    [establishmentId, before],
  );
  const corrections = await db.query<{ id: string; supersedes: string }>(
    'SELECT id, supersedes FROM checks WHERE establishment_id = $1 AND supersedes IS NOT NULL',
    [establishmentId],
  );
  const going = removable(new Set(expired.map((c) => c.id)), new Map(corrections.map((c) => [c.id, c.supersedes])));
  return [...going];
}

/** Removes one batch of checks in one transaction, with their audit rows; the photos they named. */
async function purgeBatch(
  db: Db,
  establishmentId: string,
  ids: string[],
  context: { years: number; now: Date },
): Promise<{ checks: number; reviews: number; photos: string[] }> {
  return db.transaction(async (tx) => {
    const photos = await tx.query<{ sha256: string }>('SELECT DISTINCT sha256 FROM check_photos WHERE check_id = ANY($1::uuid[])', [ids]);
    const reviews = await tx.query<{ id: string }>('DELETE FROM reviews WHERE check_id = ANY($1::uuid[]) RETURNING id::text AS id', [ids]);
    await tx.query('DELETE FROM check_photos WHERE check_id = ANY($1::uuid[])', [ids]);
    await tx.query('DELETE FROM check_actions WHERE check_id = ANY($1::uuid[])', [ids]);
    await tx.query(
      `DELETE FROM changes WHERE establishment_id = $1
       AND ((entity = 'check' AND entity_id = ANY($2::text[])) OR (entity = 'review' AND entity_id = ANY($3::text[])))`,
      [establishmentId, ids, reviews.map((r) => r.id)],
    );
    // Only what this transaction removed is audited: a second server purging at once removes nothing twice.
    const removed = await tx.query<{ id: string; kind: string; submitted_at: Date }>(
      'DELETE FROM checks WHERE id = ANY($1::uuid[]) AND establishment_id = $2 RETURNING id::text AS id, kind, submitted_at',
      [ids, establishmentId],
    );
    for (const check of removed) {
      await audit(
        tx,
        { establishmentId, actorId: null, deviceId: null, now: context.now },
        {
          action: 'check.purge',
          entityType: 'check',
          entityId: check.id,
          details: { kind: check.kind, submittedAt: check.submitted_at.toISOString(), retentionYears: context.years },
        },
      );
    }
    return { checks: removed.length, reviews: reviews.length, photos: photos.map((p) => p.sha256) };
  });
}

/** Photos of the establishment that nothing there names any more, and old uploads nothing ever named. */
async function purgePhotos(db: Db, blobs: BlobStore, establishmentId: string, named: string[], before: Date): Promise<number> {
  const gone = await db.query<{ sha256: string }>(
    `DELETE FROM photos p WHERE p.establishment_id = $1
       AND (p.sha256 = ANY($2::text[]) OR p.uploaded_at < $3)
       AND NOT EXISTS (SELECT 1 FROM check_photos cp JOIN checks c ON c.id = cp.check_id
                       WHERE cp.sha256 = p.sha256 AND c.establishment_id = $1)
     RETURNING p.sha256`,
    [establishmentId, named, before],
  );
  // The bytes are shared by content: they go only when nothing else holds them.
  for (const { sha256 } of gone) await deleteUnheldBlob(db, blobs, sha256);
  return gone.length;
}

/** How many years the establishment keeps evidence; null: everything. */
async function retentionYearsOf(db: Queryable, establishmentId: string): Promise<number | null> {
  const [row] = await db.query<{ retention_years: number | null }>('SELECT retention_years FROM establishments WHERE id = $1', [establishmentId]);
  return row?.retention_years ?? null;
}

/** Purges one establishment's expired evidence; null when it keeps everything. */
export async function purgeEstablishment(
  db: Db,
  blobs: BlobStore,
  establishmentId: string,
  now: Date,
): Promise<PurgeResult | null> {
  const years = await retentionYearsOf(db, establishmentId);
  if (years === null) return null;
  const before = retentionCutoff(now, years);
  const ids = await expiredChecks(db, establishmentId, before);
  const result: PurgeResult = { establishmentId, before: before.toISOString(), checks: 0, reviews: 0, photos: 0 };
  const named = new Set<string>();
  for (let start = 0; start < ids.length; start += BATCH) {
    const batch = await purgeBatch(db, establishmentId, ids.slice(start, start + BATCH), { years, now });
    result.checks += batch.checks;
    result.reviews += batch.reviews;
    for (const sha of batch.photos) named.add(sha);
  }
  result.photos = await purgePhotos(db, blobs, establishmentId, [...named], before);
  if (result.checks > 0 || result.photos > 0) {
    await db.transaction((tx) =>
      audit(
        tx,
        { establishmentId, actorId: null, deviceId: null, now },
        {
          action: 'retention.purge',
          entityType: 'establishment',
          entityId: establishmentId,
          details: {
            before: result.before,
            retentionYears: years,
            checks: result.checks,
            reviews: result.reviews,
            photos: result.photos,
          },
        },
      ));
  }
  return result;
}

/** What an admin sees: the setting, what it would remove now, and when the purge last removed anything. */
export async function retentionSettings(db: Queryable, establishmentId: string, now: Date): Promise<RetentionSettings> {
  const years = await retentionYearsOf(db, establishmentId);
  const before = years === null ? null : retentionCutoff(now, years);
  const [last] = await db.query<{ at: Date; details: { checks?: number; reviews?: number; photos?: number } }>(
    'SELECT at, details FROM audit_log WHERE establishment_id = $1 AND action = \'retention.purge\' ORDER BY seq DESC LIMIT 1',
    [establishmentId],
  );
  return {
    retentionYears: years,
    expiring: before ? (await expiredChecks(db, establishmentId, before)).length : 0,
    before: before?.toISOString() ?? null,
    lastPurge: last
      ? {
          at: last.at.toISOString(),
          checks: last.details.checks ?? 0,
          reviews: last.details.reviews ?? 0,
          photos: last.details.photos ?? 0,
        }
      : null,
  };
}

/** Purges every establishment that has a retention period. */
export async function purgeExpired(db: Db, blobs: BlobStore, now: Date): Promise<PurgeResult[]> {
  const establishments = await db.query<{ id: string }>('SELECT id FROM establishments WHERE retention_years IS NOT NULL ORDER BY name');
  const results: PurgeResult[] = [];
  for (const { id } of establishments) {
    const result = await purgeEstablishment(db, blobs, id, now);
    if (result) results.push(result);
  }
  return results;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Runs the purge a minute after start and then daily, in the background; never two at once in
 * this process (nor beside a backup: maintenance.ts). Several servers on one PostgreSQL may each
 * run it: what one removed the other finds gone, and only what a transaction removed is audited.
 */
export function scheduleRetention(
  deps: { db: Db; blobs: BlobStore; now: () => Date; exclusively: <T>(work: () => Promise<T>) => Promise<T> },
  onError: (error: unknown) => void,
  timing: Timing = { firstMs: 60_000, everyMs: DAY_MS },
): { stop(): Promise<void> } {
  return runPeriodically(() => deps.exclusively(() => purgeExpired(deps.db, deps.blobs, deps.now())), timing, onError);
}

/** Sets how long the actor's establishment keeps evidence (null: everything); audited when it changes. */
export async function setRetention(db: Db, actor: Actor, retentionYears: number | null): Promise<RetentionSettings> {
  const here = actor.auth.establishmentId;
  await db.transaction(async (tx) => {
    const [before] = await tx.query<{ retention_years: number | null }>('SELECT retention_years FROM establishments WHERE id = $1 FOR UPDATE', [here]);
    const from = before?.retention_years ?? null;
    if (from === retentionYears) return;
    await tx.query('UPDATE establishments SET retention_years = $2 WHERE id = $1', [here, retentionYears]);
    await auditAs(tx, actor, { action: 'establishment.set-retention', entityType: 'establishment', entityId: here, details: { from, to: retentionYears } });
  });
  return retentionSettings(db, here, actor.now);
}

/** The establishment's retention period: read and set by its admins; the purge itself runs on a schedule. */
export const retentionHandlers = handlers({
  'retention.get': (_, { deps, auth }) => retentionSettings(deps.db, auth().establishmentId, deps.clock.now()),
  'retention.set': ({ body }, { deps, actor }) => setRetention(deps.db, actor(), body.retentionYears),
});
