import { newId } from '../shared/ids.ts';
import type { MutationBody } from '../shared/mutations.ts';
import { PROTOCOL_VERSION } from '../shared/protocol.ts';
import { db, type CheckRow, type OutboxRow } from './db.ts';
import { useLiveQuery } from './live.ts';
import type { LastSync } from './sync-store.ts';

/** An outbox row for a mutation: waiting, in this protocol version, about `entityId`. */
export function newOutboxEntry(body: MutationBody, entityId: string, clientId: string, createdAt: string): OutboxRow {
  return { ...body, id: newId(), entityId, createdAt, state: 'waiting', clientId, protocol: PROTOCOL_VERSION };
}

/** How many changes wait on this device to be sent, live. */
export function useWaitingCount(): number | undefined {
  return useLiveQuery(() => db.outbox.where('state').equals('waiting').count());
}

/** The states of changes kept for a person to look at: refused by the server, or set aside after failing. */
export const ATTENTION_STATES: readonly OutboxRow['state'][] = ['rejected', 'failed'];

/** How many the server refused or could not take, kept for a person to look at. */
export function useAttentionCount(): number | undefined {
  return useLiveQuery(() => db.outbox.where('state').anyOf([...ATTENTION_STATES]).count());
}

export function useLastSync(): LastSync | null | undefined {
  return useLiveQuery(async () => ((await db.meta.get('lastSync'))?.value as LastSync | undefined) ?? null);
}

/** The server refused this app's protocol as too old: only an update will send what waits. */
export function useUpdateRequired(): boolean {
  return useLiveQuery(async () => (await db.meta.get('updateRequired'))?.value === true) ?? false;
}

export interface OutboxEntry {
  entry: OutboxRow;
  check: CheckRow | undefined;
}

/** Everything in the outbox, oldest first, with the evidence each carries. */
export function useOutboxEntries(): OutboxEntry[] | undefined {
  return useLiveQuery(async () => {
    const entries = await db.outbox.orderBy('seq').toArray();
    const checks = await db.checks.bulkGet(entries.map((e) => e.entityId));
    return entries.map((entry, i) => ({ entry, check: checks[i] }));
  });
}
