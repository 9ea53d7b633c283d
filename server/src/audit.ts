import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.ts';
import type { ReferenceKind } from '../../src/shared/api/sync.ts';
import type { Queryable } from './db/client.ts';
import { recordChange } from './services/changes.ts';

export interface AuditEntry {
  establishmentId: string;
  actorId: string | null;
  /** What happened, e.g. "session.sign-in", "user.create". */
  action: string;
  entityType: string;
  entityId: string | null;
  deviceId: string | null;
  details?: Record<string, unknown>;
}

interface ChainedFields extends Required<AuditEntry> {
  seq: number;
  at: Date;
  prevHash: string;
}

export function auditHash(row: ChainedFields): string {
  const content = canonicalJson([
    row.establishmentId,
    row.seq,
    row.at.toISOString(),
    row.actorId,
    row.action,
    row.entityType,
    row.entityId,
    row.deviceId,
    row.details,
    row.prevHash,
  ]);
  return createHash('sha256').update(content).digest('hex');
}

/**
 * Appends one row to the establishment's audit chain (server code writes through audit-request.ts's
 * `audit` and `auditAs`, the one entry point), inside the caller's transaction (so the
 * change and its audit row commit together or not at all). Bumping the establishment's counter
 * row locks it until commit: appends are serialised, with no gaps, across server processes.
 */
export async function appendAudit(tx: Queryable, entry: AuditEntry, at: Date): Promise<void> {
  const [head] = await tx.query<{ seq: string; head: string }>(
    'UPDATE establishments SET audit_seq = audit_seq + 1 WHERE id = $1 RETURNING audit_seq::text AS seq, audit_head AS head',
    [entry.establishmentId],
  );
  if (!head) throw new Error(`no establishment ${entry.establishmentId} to audit`);
  const row: ChainedFields = { ...entry, details: entry.details ?? {}, seq: Number(head.seq), at, prevHash: head.head };
  const hash = auditHash(row);
  await tx.query(
    `INSERT INTO audit_log (establishment_id, seq, at, actor_id, action, entity_type, entity_id, device_id, details, prev_hash, hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      row.establishmentId, row.seq, at, row.actorId, row.action, row.entityType, row.entityId, row.deviceId,
      canonicalJson(row.details), row.prevHash, hash,
    ],
  );
  await tx.query('UPDATE establishments SET audit_head = $2 WHERE id = $1', [entry.establishmentId, hash]);
  // Every audited change to reference data also tells devices to fetch it again (sync pull).
  const reference = REFERENCE_KIND_OF[entry.entityType];
  if (reference) await recordChange(tx, entry.establishmentId, 'reference', reference, at);
}

/** A change-log row devices pull (services/changes.ts): what changed, by its entity and id. */
export interface LoggedChange {
  entity: string;
  entityId: string;
}

/** One item of a batch, in order: an audit row (and the reference change it implies), or a change-log row alone. */
export type LogItem = ({ audit: Omit<AuditEntry, 'establishmentId'> } | { change: LoggedChange }) & {
  /** When it happened, if not the batch's time (pushes written together each keep their own). */
  at?: Date;
};

/**
 * Appends a transaction's audit rows and change-log rows for one establishment in one statement
 * (the append_logs function, migration 0016), meant to be the transaction's last before COMMIT and
 * sent with it (Queryable.lastly): the establishment's row, whose counters order both logs, is then
 * locked for that statement and the commit only instead of from the first change to the commit,
 * so concurrent pushes do not queue on it.
 * The chain is the one appendAudit writes (same hash, same rows, no gaps); an audited change to
 * reference data also tells devices to fetch it again, as there.
 */
export async function appendAuditBatch(
  tx: Queryable,
  establishmentId: string,
  items: readonly LogItem[],
  at: Date,
): Promise<void> {
  const audits: { body: string; at: string; actorId: string | null; action: string; entityType: string; entityId: string | null;
    deviceId: string | null; details: Record<string, unknown>; }[] = [];
  const changes: (LoggedChange & { at: string })[] = [];
  for (const item of items) {
    const when = (item.at ?? at).toISOString();
    if ('change' in item) {
      changes.push({ ...item.change, at: when });
      continue;
    }
    const entry = { ...item.audit, details: item.audit.details ?? {} };
    // The middle of auditHash's array, between seq and prevHash, which only the database knows.
    const { actorId, action, entityType, entityId, deviceId, details } = entry;
    const body = canonicalJson([when, actorId, action, entityType, entityId, deviceId, details]).slice(1, -1);
    audits.push({ ...entry, body, at: when });
    const reference = REFERENCE_KIND_OF[entry.entityType];
    if (reference) changes.push({ entity: 'reference', entityId: reference, at: when });
  }
  if (audits.length === 0 && changes.length === 0) return;
  const sql = 'SELECT append_logs($1, $2, $3::jsonb, $4::jsonb)';
  const prefix = canonicalJson([establishmentId]).slice(0, -1);
  const params = [establishmentId, prefix, JSON.stringify(audits), JSON.stringify(changes)];
  // Sent with the COMMIT where the engine can: the counter row is then held for this and the commit only.
  if (tx.lastly) await tx.lastly(sql, params);
  else await tx.query(sql, params);
}

/** Reference data devices keep offline, by the entity type its changes are audited under. */
const REFERENCE_KIND_OF: Partial<Record<string, ReferenceKind>> = {
  unit: 'units',
  plan: 'plans',
  action: 'plans',
  template: 'templates',
  schedule: 'schedules',
};

/** An audit_log row as read back (seq, a bigint, as text); a query joining the actor's name adds it. */
export interface AuditLogRow {
  seq: string;
  at: Date;
  actor_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  device_id: string | null;
  details: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

/** The columns of an AuditLogRow, from `l` (the audit_log row). */
export const AUDIT_LOG_COLUMNS = 'l.seq::text AS seq, l.at, l.actor_id, l.action, l.entity_type, l.entity_id, l.device_id, l.details, l.prev_hash, l.hash';

/** An audit entry as stored, with its place in its establishment's chain. */
export interface StoredAuditEntry extends Omit<ChainedFields, 'establishmentId'> {
  hash: string;
}

export const auditEntryFromRow = (row: AuditLogRow): StoredAuditEntry => ({
  seq: Number(row.seq),
  at: row.at,
  actorId: row.actor_id,
  action: row.action,
  entityType: row.entity_type,
  entityId: row.entity_id,
  deviceId: row.device_id,
  details: row.details,
  prevHash: row.prev_hash,
  hash: row.hash,
});

export type AuditVerification
  = | { ok: true; count: number }
    | { ok: false; count: number; brokenAt: number; reason: string };

/** A chain head recorded outside the database (on an evidence pack, or downloaded by an admin). */
export interface Checkpoint {
  seq: number;
  hash: string;
}

const PAGE = 1000;

/**
 * Re-computes the whole chain: any edited, deleted, inserted or re-ordered row breaks it, and so
 * does removing rows from the end (the establishment's head hash would no longer match). The head
 * lives in the same database, so someone able to write there could cut the tail and rewind the
 * head, or rewrite the whole chain: a checkpoint kept outside catches both, since the chain must
 * still reach its entry and hold it unchanged.
 */
export async function verifyAudit(db: Queryable, establishmentId: string, checkpoint?: Checkpoint): Promise<AuditVerification> {
  let prevHash = '';
  let expectedSeq = 1;
  for (;;) {
    const rows = await db.query<AuditLogRow>(
      // ORDER BY the column, not the text alias: '10' sorts before '2'.
      `SELECT ${AUDIT_LOG_COLUMNS}
       FROM audit_log l WHERE l.establishment_id = $1 AND l.seq >= $2 ORDER BY l.seq LIMIT ${PAGE}`,
      [establishmentId, expectedSeq],
    );
    for (const entry of rows.map(auditEntryFromRow)) {
      const { seq } = entry;
      const broken = (reason: string): AuditVerification => ({ ok: false, count: expectedSeq - 1, brokenAt: seq, reason });
      if (seq !== expectedSeq) return { ok: false, count: expectedSeq - 1, brokenAt: expectedSeq, reason: 'a row is missing' };
      if (entry.prevHash !== prevHash) return broken('the row does not follow the one before it');
      const recomputed = auditHash({ establishmentId, ...entry });
      if (recomputed !== entry.hash) return broken('the row was changed after it was written');
      if (checkpoint?.seq === seq && checkpoint.hash !== entry.hash) {
        return broken('the log was rewritten: this entry is not the one the checkpoint recorded');
      }
      prevHash = entry.hash;
      expectedSeq += 1;
    }
    if (rows.length < PAGE) break;
  }
  const [establishment] = await db.query<{ seq: string; head: string }>(
    'SELECT audit_seq::text AS seq, audit_head AS head FROM establishments WHERE id = $1',
    [establishmentId],
  );
  const count = expectedSeq - 1;
  if (checkpoint && checkpoint.seq > count) {
    return {
      ok: false,
      count,
      brokenAt: count + 1,
      reason: `the log ends at entry ${count}, before the checkpoint’s entry ${checkpoint.seq}: entries were removed from its end`,
    };
  }
  if (!establishment || Number(establishment.seq) !== count || establishment.head !== prevHash) {
    return { ok: false, count, brokenAt: count + 1, reason: 'rows are missing from the end of the log' };
  }
  return { ok: true, count };
}
