import type { FastifyRequest } from 'fastify';
import { appendAudit } from './audit.ts';
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
  entityId: string;
  details: Record<string, unknown>;
}

/** Audits what the actor did, in their establishment, in the caller's transaction: the one way services write the log. */
export async function auditAs(tx: Queryable, actor: Actor, change: AuditedChange): Promise<void> {
  const { auth, deviceId, now } = actor;
  await appendAudit(tx, { ...change, establishmentId: auth.establishmentId, actorId: auth.userId, deviceId }, now);
}
