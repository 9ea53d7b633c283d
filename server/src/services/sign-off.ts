import { createHash } from 'node:crypto';
import type { SignOff } from '../../../src/shared/api/sign-off.ts';
import { newId } from '../../../src/shared/ids.ts';
import { ROLE_LABELS, type Role } from '../../../src/shared/roles.ts';
import type { Queryable } from '../db/client.ts';
import { fromJsonColumn } from '../db/json.ts';
import { EVIDENCE_HASH } from '../evidence-chain.ts';

/** [check id, record hash] of each accepted check of an action, in id order. */
type EvidenceList = [string, string][];

/** The action's accepted evidence now, each with the hash of its stored record (photos' SHA-256 included). */
async function acceptedEvidenceHashes(db: Queryable, establishmentId: string, actionId: string): Promise<EvidenceList> {
  const rows = await db.query<{ id: string; hash: string }>(
    `SELECT c.id::text AS id, ${EVIDENCE_HASH()} AS hash
     FROM checks c JOIN check_actions link ON link.check_id = c.id AND link.action_id = $2
     WHERE c.establishment_id = $1
       AND (SELECT r.decision FROM reviews r WHERE r.check_id = c.id ORDER BY r.reviewed_at DESC, r.id DESC LIMIT 1) = 'accepted'
     ORDER BY c.id`,
    [establishmentId, actionId],
  );
  return rows.map((r) => [r.id, r.hash]);
}

const digestOf = (evidence: EvidenceList) => createHash('sha256').update(JSON.stringify(evidence)).digest('hex');

/** The role a sign-off names: the most senior the person holds of those that may close an action. */
function signingRole(roles: readonly Role[]): Role {
  return roles.includes('head-of-residence') ? 'head-of-residence' : 'admin';
}

/** Records a sign-off of an action closed now, in the transaction that closes it. Returns its digest, for the audit row. */
export async function recordSignOff(
  tx: Queryable,
  entry: { establishmentId: string; actionId: string; userId: string; roles: readonly Role[]; signedName: string; at: Date },
): Promise<string> {
  const evidence = await acceptedEvidenceHashes(tx, entry.establishmentId, entry.actionId);
  const digest = digestOf(evidence);
  await tx.query(
    `INSERT INTO action_sign_offs (id, establishment_id, action_id, signed_name, role, user_id, signed_at, evidence_digest, evidence)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb)`,
    [
      newId(), entry.establishmentId, entry.actionId, entry.signedName, signingRole(entry.roles),
      entry.userId, entry.at, digest, JSON.stringify(evidence),
    ],
  );
  return digest;
}

/**
 * The latest sign-off of each action named (only those that have one), checked against the
 * evidence as it stands now: a check returned, corrected in the database or newly accepted shows.
 */
export async function signOffsOf(
  db: Queryable,
  establishmentId: string,
  actionIds: readonly string[],
): Promise<Map<string, SignOff>> {
  if (actionIds.length === 0) return new Map();
  const rows = await db.query<{
    action_id: string; signed_name: string; role: string; signed_at: Date; evidence_digest: string; evidence: unknown;
  }>(
    `SELECT DISTINCT ON (action_id) action_id::text AS action_id, signed_name, role, signed_at, evidence_digest, evidence
     FROM action_sign_offs WHERE establishment_id = $1 AND action_id = ANY($2::uuid[])
     ORDER BY action_id, signed_at DESC, id DESC`,
    [establishmentId, [...actionIds]],
  );
  const found = new Map<string, SignOff>();
  for (const row of rows) {
    const signed = fromJsonColumn(row.evidence) as EvidenceList;
    const now = await acceptedEvidenceHashes(db, establishmentId, row.action_id);
    const before = new Set(signed.map(([id, hash]) => `${id}:${hash}`));
    const after = new Set(now.map(([id, hash]) => `${id}:${hash}`));
    const unchanged = digestOf(now) === row.evidence_digest;
    found.set(row.action_id, {
      signedName: row.signed_name,
      role: row.role in ROLE_LABELS ? ROLE_LABELS[row.role as Role] : row.role,
      signedAt: new Date(row.signed_at).toISOString(),
      evidenceDigest: row.evidence_digest,
      evidenceCount: signed.length,
      evidenceNow: unchanged ? 'unchanged' : 'changed',
      added: [...after].filter((k) => !before.has(k)).length,
      removed: [...before].filter((k) => !after.has(k)).length,
    });
  }
  return found;
}
