import { MutationBody, type SettableActionStatus } from '../shared/mutations.ts';
import { db } from './db.ts';
import { getClientId } from './device.ts';
import { newOutboxEntry } from './outbox.ts';

export interface ActionStatusChange {
  actionId: string;
  status: SettableActionStatus;
  baseVersion: number;
  reason?: string;
}

/**
 * Queues a change of an action's status, based on the version the person saw. It travels through
 * the outbox like evidence, so it works offline; if someone changed the action meanwhile the
 * server refuses it, and it shows under "Needs attention" with the action's state now.
 */
export async function queueActionStatus(change: ActionStatusChange): Promise<void> {
  // A blank reason is no reason: leave it out rather than send an empty string.
  const { reason, ...rest } = change;
  const payload = reason?.trim() ? { ...rest, reason: reason.trim() } : rest;
  const body = MutationBody.parse({ type: 'action.set-status', payload });
  await db.outbox.add(newOutboxEntry(body, change.actionId, await getClientId(), new Date().toISOString()));
}
