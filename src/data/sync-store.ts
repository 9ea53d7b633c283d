/**
 * The sync engine's view of IndexedDB (src/sync/run.ts SyncStore), and this device's sync runner
 * (src/sync/runner.ts) over it, the HTTP transport and the pages' channel: the page and the
 * service worker both sync through `syncNow`.
 */
import type { Change } from '../shared/api/sync.ts';
import { MutationBody } from '../shared/mutations.ts';
import type { OutboxItem } from '../sync/engine.ts';
import { httpTransport } from '../sync/http-transport.ts';
import type { SyncOutcome, SyncStore, SyncTransport } from '../sync/run.ts';
import { createSyncRunner, type SyncMessage } from '../sync/runner.ts';
import { SYNC_CHANNEL, SYNC_LOCK } from '../shared/sw-messages.ts';
import { db, type CheckRow, type GapRow, type OutboxRow } from './db.ts';
import type { GapExplanation } from '../shared/api/gaps.ts';
import { getClientId } from './device.ts';
import { deviceIdentity, getStoredSession, markSessionExpired, stillSignedIn } from './session-store.ts';

function photosOf(row: OutboxRow): string[] {
  const parsed = MutationBody.safeParse({ type: row.type, payload: row.payload });
  if (!parsed.success || !('photos' in parsed.data.payload)) return [];
  return parsed.data.payload.photos.map((p) => p.sha256);
}

/**
 * What must reach the server before this change (engine.ts OutboxItem.needs): the check or note a
 * correction supersedes; for a status change, earlier changes to the same action. Read warily: a
 * row may have been written by another version of the app.
 */
function needsOf(row: OutboxRow): string[] {
  const payload: unknown = row.payload;
  if (typeof payload !== 'object' || payload === null) return [];
  const { supersedes, actionId } = payload as { supersedes?: unknown; actionId?: unknown };
  if (row.type === 'action.set-status') return typeof actionId === 'string' ? [actionId] : [];
  return typeof supersedes === 'string' ? [supersedes] : [];
}

function toItem(row: OutboxRow): OutboxItem {
  return {
    seq: row.seq ?? 0,
    id: row.id,
    clientId: row.clientId,
    type: row.type,
    payload: row.payload,
    createdAt: row.createdAt,
    protocol: row.protocol,
    photos: photosOf(row),
    entityId: row.entityId,
    needs: needsOf(row),
    attempts: row.attempts ?? 0,
  };
}

function pulledCheck(change: Extract<Change, { entity: 'check' }>): CheckRow {
  const c = change.data;
  return {
    id: c.id,
    kind: c.kind,
    status: 'submitted',
    authorId: c.authorId,
    templateVersionId: c.templateVersionId,
    scheduleId: c.scheduleId,
    dueOn: c.dueOn,
    unitId: c.unitId,
    landing: c.landing,
    actionIds: c.actionIds,
    answers: c.answers,
    note: c.note,
    lastItemId: null,
    startedAt: c.startedAt,
    updatedAt: c.submittedAt,
    submittedAt: c.submittedAt,
    supersedes: c.supersedes,
    presence: c.presence,
    remote: { authorName: c.authorName, receivedAt: c.receivedAt, photos: c.photos },
  };
}

export const dexieSyncStore: SyncStore = {
  clientId: getClientId,
  async waiting(limit) {
    const rows = await db.outbox.orderBy('seq').filter((r) => r.state === 'waiting').limit(limit).toArray();
    return rows.map(toItem);
  },
  async heldEntities() {
    return new Set((await db.outbox.where('state').equals('failed').toArray()).map((r) => r.entityId));
  },
  async photo(sha256) {
    const row = await db.photos.where('sha256').equals(sha256).first();
    return row ? { bytes: row.bytes, mime: row.mime } : null;
  },
  async uploaded() {
    return new Set(await db.uploads.toCollection().primaryKeys());
  },
  async markUploaded(sha256s) {
    // A batch's worth in one transaction: one IndexedDB commit per batch, not per photo.
    const at = new Date().toISOString();
    await db.uploads.bulkPut(sha256s.map((sha256) => ({ sha256, at })));
  },
  async forgetUploaded(sha256s) {
    await db.uploads.bulkDelete([...sha256s]);
  },
  async settle(done, rejected) {
    await db.transaction('rw', db.outbox, async () => {
      await db.outbox.where('id').anyOf([...done]).delete();
      for (const r of rejected) await db.outbox.where('id').equals(r.id).modify({ state: 'rejected', reason: r.reason });
    });
  },
  async recordFailures(attempts, setAside) {
    await db.transaction('rw', db.outbox, async () => {
      await db.outbox.where('id').anyOf([...attempts]).modify((row) => {
        row.attempts = (row.attempts ?? 0) + 1;
      });
      for (const s of setAside) await db.outbox.where('id').equals(s.id).modify({ state: 'failed', reason: s.reason });
    });
  },
  async pullCursor() {
    const row = await db.meta.get('pullCursor');
    return typeof row?.value === 'string' ? row.value : '0';
  },
  async applyChanges(changes, cursor) {
    await db.transaction('rw', [db.checks, db.reviews, db.gaps, db.meta], async () => {
      // Signed out while this page was on its way: it belongs to nobody here now.
      if (!(await stillSignedIn())) return;
      for (const change of changes) {
        if (change.entity === 'review') await db.reviews.put(change.data);
        // An explanation as the server has it, with its decision: it replaces the one made here.
        if (change.entity === 'gap') await db.gaps.put(pulledGap(change.data));
        if (change.entity !== 'check') continue;
        // Evidence made here is kept as it is (with its photos); others' arrives as the server has it.
        const mine = await db.checks.get(change.id);
        if (!mine) await db.checks.put(pulledCheck(change));
      }
      await db.meta.put({ key: 'pullCursor', value: cursor });
    });
  },
};

function pulledGap(g: GapExplanation): GapRow {
  const { id, scheduleId, unitId, dueOn, reason, detail, authorId, authorName, explainedAt, review } = g;
  return { id, scheduleId, unitId, dueOn, reason, detail, authorId, authorName, explainedAt, review };
}

const transport: SyncTransport = httpTransport(deviceIdentity);

/** What the last sync came to, kept so every page (and the next start) can say it. */
export interface LastSync {
  at: string;
  outcome: SyncOutcome;
}

async function recordOutcome(at: string, outcome: SyncOutcome): Promise<void> {
  await db.transaction('rw', db.meta, async () => {
    if (!(await stillSignedIn())) return;
    await db.meta.put({ key: 'lastSync', value: { at, outcome } satisfies LastSync });
    if (outcome.kind === 'update-required') await db.meta.put({ key: 'updateRequired', value: true });
    else await db.meta.delete('updateRequired');
  });
}

function post(message: SyncMessage): void {
  if (typeof BroadcastChannel === 'undefined') return;
  const channel = new BroadcastChannel(SYNC_CHANNEL);
  channel.postMessage(message);
  channel.close();
}

/** This device's sync: IndexedDB through Dexie, the HTTP API, and every open page told. */
export const { syncNow } = createSyncRunner({
  store: dexieSyncStore,
  transport,
  post,
  signedIn: async () => {
    const session = await getStoredSession();
    return Boolean(session && !session.expired);
  },
  sessionEnded: markSessionExpired,
  record: recordOutcome,
  locks: (globalThis.navigator as Navigator | undefined)?.locks,
  lockName: SYNC_LOCK,
});
