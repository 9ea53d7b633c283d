import { db } from './db.ts';
import { ATTENTION_STATES } from './outbox.ts';

// Apart from outbox.ts: only the Sync page uses it, so it stays out of the first load.

/**
 * Puts every change that needs attention back in the queue, as if new (the server answers a
 * refusal it recorded the same way again; one that failed may go now), in the order made.
 */
export async function tryAttentionAgain(): Promise<number> {
  return db.outbox.where('state').anyOf([...ATTENTION_STATES]).modify((row) => {
    row.state = 'waiting';
    delete row.reason;
    delete row.attempts;
  });
}
