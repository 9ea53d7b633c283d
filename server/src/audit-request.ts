import type { FastifyRequest } from 'fastify';
import { appendAudit, appendAuditBatch, type LoggedChange } from './audit.ts';
import { authOf, deviceIdOf } from './auth/guard.ts';
import type { AuthContext } from './auth/sessions.ts';
import type { Clock } from './clock.ts';
import type { Queryable } from './db/client.ts';

/** Who does something through a request: their session, the device it came from, and when. */
export interface Actor {
  auth: AuthContext;
  deviceId: string | null;
  now: Date;
}

/** The signed-in person behind a request, as services take them. */
export function actorOf(request: FastifyRequest, clock: Clock): Actor {
  return { auth: authOf(request), deviceId: deviceIdOf(request), now: clock.now() };
}

export interface AuditedChange {
  action: string;
  entityType: string;
  entityId: string | null;
  details?: Record<string, unknown>;
}

/**
 * Who an audit row is by and where it goes, when there is no signed-in actor to say so (signing
 * in, a refused sign-in) or it goes to another establishment than theirs (moving between them).
 */
export interface AuditedBy {
  establishmentId: string;
  actorId: string | null;
  deviceId: string | null;
  now: Date;
}

/** Audits a change by someone, in the caller's transaction: the one way anything writes the log from a request. */
export async function audit(tx: Queryable, by: AuditedBy, change: AuditedChange): Promise<void> {
  const { establishmentId, actorId, deviceId, now } = by;
  await appendAudit(tx, { ...change, establishmentId, actorId, deviceId }, now);
}

/** Who the actor is, as an audit row records them: their session's establishment and user, and their device. */
export const auditedBy = (actor: Actor): AuditedBy => ({
  establishmentId: actor.auth.establishmentId,
  actorId: actor.auth.userId,
  deviceId: actor.deviceId,
  now: actor.now,
});

/** Audits what the actor did, in their establishment, in the caller's transaction: the one way services write the log. */
export async function auditAs(tx: Queryable, actor: Actor, change: AuditedChange): Promise<void> {
  await audit(tx, auditedBy(actor), change);
}

/** One item of a batch for auditBatch: a change audited as by someone, or a change-log row alone. */
export type AuditedItem = ({ by: Pick<AuditedBy, 'actorId' | 'deviceId'>; change: AuditedChange } | { logged: LoggedChange }) & {
  /** When it happened, if not the batch's time. */
  at?: Date;
};

/**
 * Audits a transaction's changes, in order, in one statement meant to be its last before COMMIT,
 * with the change-log rows devices pull: what a push stores is logged this way, so the
 * establishment's row that orders both logs is locked only from here to the commit.
 */
export async function auditBatch(
  tx: Queryable,
  establishmentId: string,
  now: Date,
  items: readonly AuditedItem[],
): Promise<void> {
  await appendAuditBatch(
    tx,
    establishmentId,
    items.map((item) => ('logged' in item ? { change: item.logged, at: item.at } : { audit: { ...item.change, ...item.by }, at: item.at })),
    now,
  );
}
