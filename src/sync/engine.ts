/**
 * The sync engine's decisions, as pure functions: which mutations to send next, what each
 * server answer means for the outbox, and how long to wait before trying again. No I/O here, so
 * the page, the service worker and the property tests all run the same logic.
 */
import type { PushResult } from '../shared/api/sync.ts';

export interface OutboxItem {
  /** The device's order: mutations are sent in it, and a later one never overtakes one it needs. */
  seq: number;
  id: string;
  clientId: string;
  type: string;
  payload: unknown;
  createdAt: string;
  protocol: number;
  /** SHA-256 of every photo it names: uploaded before it is pushed. */
  photos: readonly string[];
  /** What it carries (a check's or note's id; for a status change, the action's). */
  entityId: string;
  /**
   * What must reach the server first, by entity id: the check a correction supersedes, the action
   * an earlier status change was about. Anything else may overtake a change that cannot be sent.
   */
  needs: readonly string[];
  /** Syncs in which it failed on its own while the server was answering (see judgeFailures). */
  attempts: number;
}

/** At most this many mutations per push: the server's limit (MAX_PUSH_MUTATIONS), so a sync of many checks takes few requests. */
export const BATCH_SIZE = 100;

/**
 * Protocol 2 sends photos in batches of about this many bytes (the server takes up to 32 MB): a
 * few dozen shrunk photos a request, so a request's own cost (a session look-up, a database
 * statement) is spread over many, while a cut connection loses at most one batch's bytes.
 */
export const PHOTO_BATCH_BYTES = 12 * 1024 * 1024;
/** And at most this many photos a batch (the server's MAX_BATCH_PHOTOS). */
export const PHOTO_BATCH_COUNT = 100;
/** Bytes each photo's frame adds to a batch (its hash and length: PHOTO_FRAME_HEADER_BYTES). */
const FRAME_OVERHEAD = 36;

/**
 * A change that fails on its own (the server refuses or fails the request carrying it alone, or
 * answers `retry` for it) in this many syncs, each time while the server answered others, is set
 * aside for a person under Needs attention, with its data, so the changes behind it still go.
 */
export const MAX_ATTEMPTS = 5;

/** Set aside, as the device keeps it: `reason` says why, for the Sync page. */
export interface SetAside {
  id: string;
  reason: string;
}

export interface Round {
  /** What may be sent now, oldest first. */
  sendable: OutboxItem[];
  /** Needs a change already set aside for a person: set aside beside it, never sent before it. */
  setAside: SetAside[];
}

const DEPENDS_ON_SET_ASIDE = 'It was not sent: it depends on an earlier change that needs attention (the check it corrects, or an earlier change to the same action). Try them again together.';

/**
 * Which waiting changes may be sent now: all, in order, except those that need (directly or
 * through another) a change set aside earlier (`heldEntities`: they are set aside too) or a
 * change that failed on its own in this sync (`skipped`: they wait for the next).
 */
export function planRound(
  waiting: readonly OutboxItem[],
  heldEntities: ReadonlySet<string>,
  skipped: ReadonlySet<string>,
): Round {
  const held = new Set(heldEntities);
  const waitingFor = new Set<string>();
  const round: Round = { sendable: [], setAside: [] };
  for (const item of [...waiting].sort((a, b) => a.seq - b.seq)) {
    if (item.needs.some((entity) => held.has(entity))) {
      held.add(item.entityId);
      round.setAside.push({ id: item.id, reason: DEPENDS_ON_SET_ASIDE });
    } else if (skipped.has(item.id) || item.needs.some((entity) => waitingFor.has(entity))) {
      waitingFor.add(item.entityId);
    } else {
      round.sendable.push(item);
    }
  }
  return round;
}

/**
 * What this sync's failures come to, once the server has shown it is working (it answered a
 * pull): each change that failed on its own has one more attempt counted; one reaching
 * MAX_ATTEMPTS is set aside with the last reason, and so is every waiting change that needs it.
 */
export function judgeFailures(
  failures: ReadonlyMap<string, string>,
  waiting: readonly OutboxItem[],
): { attempts: string[]; setAside: SetAside[] } {
  const out: { attempts: string[]; setAside: SetAside[] } = { attempts: [], setAside: [] };
  const held = new Set<string>();
  for (const item of [...waiting].sort((a, b) => a.seq - b.seq)) {
    const reason = failures.get(item.id);
    if (reason !== undefined && item.attempts + 1 >= MAX_ATTEMPTS) {
      held.add(item.entityId);
      out.setAside.push({ id: item.id, reason: `Not sent after ${MAX_ATTEMPTS} tries. The last time: ${reason}` });
    } else if (item.needs.some((entity) => held.has(entity))) {
      held.add(item.entityId);
      out.setAside.push({ id: item.id, reason: DEPENDS_ON_SET_ASIDE });
    } else if (reason !== undefined) {
      out.attempts.push(item.id);
    }
  }
  return out;
}

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

/**
 * Whether a photo of `size` bytes joins a batch that holds `count` photos of `bytes` bytes (frames
 * included), or starts the next: a batch takes photos until the next would take it past `maxBytes`
 * or `maxCount`; the first photo always joins, so one bigger than `maxBytes` goes alone.
 */
export function joinsBatch(
  batch: { count: number; bytes: number },
  size: number,
  maxBytes = PHOTO_BATCH_BYTES,
  maxCount = PHOTO_BATCH_COUNT,
): boolean {
  return batch.count === 0 || (batch.bytes + size + FRAME_OVERHEAD <= maxBytes && batch.count < maxCount);
}

/** The bytes a photo of `size` adds to a batch, its frame's header included. */
export const frameBytes = (size: number): number => size + FRAME_OVERHEAD;

/** The photos still to send after the server said which it lacks: those it lacks, in the device's order; the rest it has. */
export function splitByServer(asked: readonly string[], lacking: readonly string[]): { send: string[]; has: string[] } {
  const lacks = new Set(lacking);
  return { send: asked.filter((sha) => lacks.has(sha)), has: asked.filter((sha) => !lacks.has(sha)) };
}

export interface Settlement {
  /** Applied now or before: leave the outbox. */
  done: string[];
  /** Refused: kept, visibly, for a person to look at. */
  rejected: { id: string; reason: string }[];
  /** Something must be waited for (a photo, an earlier change): stop and try again later. */
  retry: boolean;
  /** The first change not settled (answered `retry`, or not at all), and why. */
  stuck?: { item: OutboxItem; reason: string };
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
      settlement.stuck = { item, reason: result?.reason ?? 'The server gave no answer for it.' };
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
