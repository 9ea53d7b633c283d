import { MutationBody, type SettableActionStatus } from '../shared/mutations.ts';
import { firstIssue } from '../shared/text.ts';
import { db } from './db.ts';
import { getClientId } from './device.ts';
import { newOutboxEntry } from './outbox.ts';

export interface ActionStatusChange {
  actionId: string;
  status: SettableActionStatus;
  baseVersion: number;
  reason?: string;
  /** Closing it: the name typed as the sign-off's signature. */
  signedName?: string;
}

/**
 * Queues a change of an action's status, based on the version the person saw. It travels through
 * the outbox like evidence, so it works offline; if someone changed the action meanwhile the
 * server refuses it, and it shows under "Needs attention" with the action's state now. Returns
 * what stops it being queued (a reason the server could not store), naming the field, or null.
 */
export async function queueActionStatus(change: ActionStatusChange): Promise<string | null> {
  // A blank reason is no reason: leave it out rather than send an empty string.
  const { reason, signedName, ...rest } = change;
  const payload = {
    ...rest,
    ...(reason?.trim() ? { reason: reason.trim() } : {}),
    ...(change.status === 'complete' && signedName?.trim() ? { signedName: signedName.trim() } : {}),
  };
  const parsed = MutationBody.safeParse({ type: 'action.set-status', payload });
  if (!parsed.success) return `Not saved: ${firstIssue(parsed.error).replace(/^payload\./, '')}.`;
  await db.outbox.add(newOutboxEntry(parsed.data, change.actionId, await getClientId(), new Date().toISOString()));
  return null;
}
