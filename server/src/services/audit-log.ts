/** Reading the audit log: a page of it, whether it still holds, and its head as a checkpoint to keep. */
import type { AuditCheckpoint, AuditRow, AuditVerifyResponse } from '../../../src/shared/api/admin.ts';
import { AUDIT_LOG_COLUMNS, auditEntryFromRow, verifyAudit, type AuditLogRow } from '../audit.ts';
import type { Queryable } from '../db/client.ts';
import { verifyEvidence } from '../evidence-chain.ts';
import { handlers } from '../endpoint-handlers.ts';

/** The newest entries before `before` (or the newest of all), newest first. */
export async function auditPage(
  db: Queryable,
  establishmentId: string,
  before: number | undefined,
  limit: number,
): Promise<AuditRow[]> {
  const rows = await db.query<AuditLogRow & { actor: string | null }>(
    `SELECT ${AUDIT_LOG_COLUMNS}, u.username AS actor
     FROM audit_log l LEFT JOIN users u ON u.id = l.actor_id
     WHERE l.establishment_id = $1 AND ($2::bigint IS NULL OR l.seq < $2::bigint)
     ORDER BY l.seq DESC LIMIT $3`,
    [establishmentId, before ?? null, limit],
  );
  return rows.map((r) => {
    const entry = auditEntryFromRow(r);
    return {
      seq: entry.seq,
      at: entry.at.toISOString(),
      actor: r.actor,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      deviceId: entry.deviceId,
      details: entry.details,
    };
  });
}

/** Whether the chain holds (up to a kept checkpoint, when given), and every stored check, note and review matches it. */
export async function verifyLog(
  db: Queryable,
  establishmentId: string,
  checkpoint: { seq: number; hash: string } | null,
): Promise<AuditVerifyResponse> {
  const chain = await verifyAudit(db, establishmentId, checkpoint ?? undefined);
  if (!chain.ok) return chain;
  const evidence = await verifyEvidence(db, establishmentId);
  if (!evidence.ok) return { ok: false, count: chain.count, brokenAt: null, reason: evidence.reason };
  const { checks, reviews } = evidence;
  return { ok: true, count: chain.count, evidence: { checks, reviews }, checkpoint };
}

/** The chain's head now, to keep away from the server. */
export async function auditCheckpoint(db: Queryable, establishmentId: string, at: Date): Promise<AuditCheckpoint> {
  const [row] = await db.query<{ name: string; seq: string; head: string }>(
    'SELECT name, audit_seq::text AS seq, audit_head AS head FROM establishments WHERE id = $1',
    [establishmentId],
  );
  return { establishmentId, establishment: row?.name ?? '', seq: Number(row?.seq ?? 0), hash: row?.head ?? '', at: at.toISOString() };
}

export const auditLogHandlers = handlers({
  'audit.page': ({ query }, { deps, auth }) => auditPage(deps.db, auth().establishmentId, query.before, query.limit),
  'audit.verify': ({ query }, { deps, auth }) => {
    const { seq, hash } = query;
    return verifyLog(deps.db, auth().establishmentId, seq !== undefined && hash !== undefined ? { seq, hash } : null);
  },
});
