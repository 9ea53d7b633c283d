/**
 * How sync tells every open page what it is doing (BroadcastChannel). Apart from sync-store.ts so a
 * page can listen without loading the sync engine and its schemas.
 */
import type { SyncOutcome, SyncProgress } from '../sync/run.ts';

export const SYNC_CHANNEL = 'wingcheck-sync';

export type SyncMessage = { type: 'progress'; progress: SyncProgress } | { type: 'finished'; outcome: SyncOutcome; at: string };
