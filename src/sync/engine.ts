/**
 * The sync engine's decisions, as pure functions: which mutations to send next, what each
 * server answer means for the outbox, and how long to wait before trying again. No I/O here, so
 * the page, the service worker and the property tests all run the same logic.
 */
import type { PushResult } from '../shared/api/sync.ts';

export interface OutboxItem {
  /** The device's order: mutations are sent in it, and a later one never overtakes an earlier. */
  seq: number;
  id: string;
  clientId: string;
  type: string;
  payload: unknown;
  createdAt: string;
  protocol: number;
  /** SHA-256 of every photo it names: uploaded before it is pushed. */
  photos: readonly string[];
}

/** At most this many mutations per push (the server's limit is 100). */
export const BATCH_SIZE = 25;

/** The next mutations to send: the oldest waiting ones, in order. */
export function nextBatch(waiting: readonly OutboxItem[], size = BATCH_SIZE): OutboxItem[] {
  return [...waiting].sort((a, b) => a.seq - b.seq).slice(0, size);
}

/** Photos the batch names that the server is not known to have, each once, in the batch's order. */
export function photosToUpload(batch: readonly OutboxItem[], uploaded: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const item of batch) for (const sha of item.photos) if (!uploaded.has(sha) && !out.includes(sha)) out.push(sha);
  return out;
}

export interface Settlement {
  /** Applied now or before: leave the outbox. */
  done: string[];
  /** Refused: kept, visibly, for a person to look at. */
  rejected: { id: string; reason: string }[];
  /** Something must be waited for (a photo, an earlier change): stop and try again later. */
  retry: boolean;
}

/**
 * What the server's answers mean. Results are matched by id, never by position alone; a
 * mutation with no answer is treated as not sent (it will go again, and the server's record
 * of applied ids makes that harmless).
 */
export function settle(batch: readonly OutboxItem[], results: readonly PushResult[]): Settlement {
  const byId = new Map(results.map((r) => [r.id, r]));
  const settlement: Settlement = { done: [], rejected: [], retry: false };
  for (const item of batch) {
    const result = byId.get(item.id);
    if (!result || result.status === 'retry') {
      settlement.retry = true;
      // Keep order: nothing after a mutation that must wait is settled in this round.
      break;
    }
    if (result.status === 'rejected') settlement.rejected.push({ id: item.id, reason: result.reason ?? 'The server refused it.' });
    else settlement.done.push(item.id);
  }
  return settlement;
}

/** First wait after a failure, and the longest. */
export const BACKOFF_BASE_MS = 2_000;
export const BACKOFF_CAP_MS = 5 * 60_000;

/**
 * Exponential backoff with full jitter: a random wait up to base × 2^attempt, capped. The jitter
 * spreads a wing's worth of tablets that regain signal together over time.
 */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempt));
  return Math.round(BACKOFF_BASE_MS / 2 + random() * (ceiling - BACKOFF_BASE_MS / 2));
}
