import { db } from './db.ts';
import { useLiveQuery } from './live.ts';

/** How many changes wait on this device to be sent, live. */
export function useWaitingCount(): number | undefined {
  return useLiveQuery(() => db.outbox.where('state').equals('waiting').count());
}
