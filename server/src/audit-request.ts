import type { FastifyRequest } from 'fastify';
import { appendAudit } from './audit.ts';
import { authOf, deviceIdOf } from './auth/guard.ts';
import type { Queryable } from './db/client.ts';

/** Audits what the signed-in person did through this request, from this device, in the caller's transaction. */
export function auditRequest(
  tx: Queryable,
  request: FastifyRequest,
  entry: { action: string; entityType: string; entityId: string; details: Record<string, unknown> },
  at: Date,
): Promise<void> {
  const auth = authOf(request);
  const who = { establishmentId: auth.establishmentId, actorId: auth.userId, deviceId: deviceIdOf(request) };
  return appendAudit(tx, { ...entry, ...who }, at);
}
