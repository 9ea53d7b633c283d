/**
 * Changing the establishment this device works in: the data of the one it leaves is parked in its
 * own database (parked.ts) before anything here changes, and the data of the one it goes to comes
 * back from its parked database, if the device worked there before. Offline, a device can go back
 * to an establishment it holds data for; somewhere new needs the server once, for its reference data.
 */
import Dexie from 'dexie';
import type { SessionInfo, Workplace } from '../shared/auth.ts';
import { db, type MetaRow } from './db.ts';
import { parkedName, replaceWith, snapshotOf, withParked, type Snapshot } from './parked.ts';
import { getStoredSession, saveSession, SESSION_SHAPE } from './session-store.ts';
import { SYNC_LOCK } from '../shared/sw-messages.ts';

/** Whether this device holds data of that establishment (it worked there before), so it can go there offline. */
export function holdsDataOf(establishmentId: string): Promise<boolean> {
  return Dexie.exists(parkedName(establishmentId));
}

/** What waits to be sent in a parked establishment (zero if the device holds nothing of it). */
export async function waitingIn(establishmentId: string): Promise<number> {
  if (!(await holdsDataOf(establishmentId))) return 0;
  return withParked(establishmentId, (parked) => parked.outbox.count());
}

/** Runs `work` while no sync runs anywhere on this origin (sync-store.ts takes the same lock). */
function withoutSync<T>(work: () => Promise<T>): Promise<T> {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  return locks ? locks.request(SYNC_LOCK, work) : work();
}

export class CannotSwitchError extends Error {}

/**
 * The session info for the target: the server's answer when online; offline, the one kept with the
 * parked data, brought up to date with what the session now says (roles, token, establishments).
 */
function infoFor(target: Workplace, current: SessionInfo, incoming: Snapshot, fromServer?: SessionInfo): SessionInfo {
  if (fromServer) return fromServer;
  const meta = (incoming.get(db.meta.name) ?? []) as MetaRow[];
  const kept = meta.find((row) => row.key === 'user')?.value as SessionInfo | undefined;
  if (!kept) throw new CannotSwitchError(`This device has nothing of ${target.name} yet. Connect to the network to change to it.`);
  const { user, establishments, csrfToken } = current;
  return { ...kept, user, roles: target.roles, establishments, csrfToken };
}

/**
 * Makes `target` the establishment this device works in. `fromServer`: the server's session info
 * for it (online); without it, the device must hold the target's data already.
 */
export async function switchEstablishment(target: Workplace, fromServer?: SessionInfo): Promise<SessionInfo> {
  return withoutSync(async () => {
    const stored = await getStoredSession();
    if (!stored || stored.expired) throw new CannotSwitchError('Sign in again before changing establishment.');
    const here = stored.info.establishment.id;
    if (target.id === here) {
      // Already working there: only the server's fresher account of it to keep.
      if (fromServer) await saveSession(fromServer);
      return fromServer ?? stored.info;
    }
    const held = await holdsDataOf(target.id);
    const incoming: Snapshot = held ? await withParked(target.id, snapshotOf) : new Map<string, unknown[]>();
    const info = infoFor(target, stored.info, incoming, fromServer);
    // Parked in full, and durably, before the working data changes: a flat battery mid-way loses nothing.
    const leaving = await snapshotOf(db);
    await withParked(here, (parked) => replaceWith(parked, leaving));
    const meta = ((incoming.get(db.meta.name) ?? []) as MetaRow[]).filter((row) => row.key !== 'user' && row.key !== 'sessionShape');
    incoming.set(db.meta.name, [...meta, { key: 'user', value: info }, { key: 'sessionShape', value: SESSION_SHAPE }]);
    await replaceWith(db, incoming);
    // Back in the working database now: a parked copy left behind would be stale.
    await Dexie.delete(parkedName(target.id));
    return info;
  });
}
