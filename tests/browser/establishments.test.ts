// Changing establishment on a device, in real IndexedDB: each one's data parked apart, unsent work
// kept in its order, and nothing lost or shown across.
import Dexie from 'dexie';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { db, type OutboxRow } from '../../src/data/db.ts';
import { getClientId } from '../../src/data/device.ts';
import { CannotSwitchError, holdsDataOf, switchEstablishment, waitingIn } from '../../src/data/establishments.ts';
import { assertNothingUnsent, UnsyncedWorkError, wipeLocalData } from '../../src/data/local-data.ts';
import { parkedEstablishments } from '../../src/data/parked.ts';
import { getStoredSession, markSessionExpired, saveSession } from '../../src/data/session-store.ts';
import type { SessionInfo, Workplace } from '../../src/shared/auth.ts';

const DEMO = '0190e6a4-1c2b-7d3e-8f40-5a6b7c8d9e10';
const NORTH = '0190e6a4-1c2b-7d3e-8f40-5a6b7c8d9e11';
const ME = '0190e6a4-1c2b-7d3e-8f40-5a6b7c8d9e0f';
const DEMO_PLACE: Workplace = { id: DEMO, name: 'HMP Demo', roles: ['duty-governor'] };
const NORTH_PLACE: Workplace = { id: NORTH, name: 'HMP Northfield', roles: ['head-of-residence'] };
const workplaces = [DEMO_PLACE, NORTH_PLACE];

const infoIn = (id: string, name: string, roles: SessionInfo['roles']): SessionInfo => ({
  user: { id: ME, username: 'dg.demo', displayName: 'Dana Governor' },
  roles,
  establishment: { id, name, timeZone: 'Europe/London' },
  establishments: workplaces,
  unitIds: [],
  csrfToken: 'token',
  mustChangePassword: false,
});
const inDemo = infoIn(DEMO, 'HMP Demo', ['duty-governor']);
const inNorth = infoIn(NORTH, 'HMP Northfield', ['head-of-residence']);

function queued(id: string): OutboxRow {
  return {
    id,
    type: 'check.submit',
    payload: {} as OutboxRow['payload'],
    entityId: id,
    clientId: 'device',
    protocol: 1,
    createdAt: '2026-12-03T09:00:00Z',
    state: 'waiting',
  } as OutboxRow;
}

const unitNames = async () => (await db.units.toArray()).map((u) => u.name).sort();
const outboxIds = async () => (await db.outbox.orderBy('seq').toArray()).map((r) => r.id);

beforeEach(async () => {
  await saveSession(inDemo);
  await db.units.bulkPut([
    { id: 'u1', establishmentId: DEMO, name: 'A Wing', landings: [], archived: false },
    { id: 'u2', establishmentId: DEMO, name: 'B Wing', landings: [], archived: false },
  ]);
});

afterEach(async () => {
  await db.outbox.clear();
  await db.checks.clear();
  for (const id of await parkedEstablishments()) {
    await Dexie.delete(`wingcheck-establishment-${id}`);
  }
  await db.meta.where('key').notEqual('clientId').delete();
  for (const table of db.tables) if (table.name !== 'meta') await table.clear();
});

describe('changing establishment on a device', () => {
  it('parks what is here, unsent work included, and brings it back in its order', async () => {
    await db.outbox.bulkAdd([queued('m1'), queued('m2')]);
    const device = await getClientId();

    // Online to somewhere new: the server's session info, and nothing of the demo shows.
    await switchEstablishment(NORTH_PLACE, inNorth);
    expect(await unitNames()).toEqual([]);
    expect(await db.outbox.count()).toBe(0);
    expect((await getStoredSession())?.info.establishment.name).toBe('HMP Northfield');
    expect(await waitingIn(DEMO)).toBe(2);
    // Signing out still knows about them, and says where they are.
    await expect(assertNothingUnsent()).rejects.toThrow(/^2 items are still waiting to sync, 2 of them in another establishment/);
    await db.units.put({ id: 'n1', establishmentId: NORTH, name: 'North Wing', landings: [], archived: false });
    await db.outbox.add(queued('n1'));

    // Offline back to the demo: from what was parked, with the roles held there, the same device id.
    const back = await switchEstablishment(DEMO_PLACE);
    expect(back).toMatchObject({ establishment: { id: DEMO }, roles: ['duty-governor'], csrfToken: 'token' });
    expect(await unitNames()).toEqual(['A Wing', 'B Wing']);
    expect(await outboxIds()).toEqual(['m1', 'm2']);
    expect(await getClientId()).toBe(device);
    expect(await holdsDataOf(DEMO)).toBe(false); // back in the working database: no stale copy left
    expect(await holdsDataOf(NORTH)).toBe(true);

    // New work here goes after the old, whatever sequence numbers the other establishment used.
    await db.outbox.add(queued('m3'));
    expect(await outboxIds()).toEqual(['m1', 'm2', 'm3']);

    await switchEstablishment(NORTH_PLACE);
    expect(await unitNames()).toEqual(['North Wing']);
    expect(await outboxIds()).toEqual(['n1']);
    expect((await getStoredSession())?.info.roles).toEqual(['head-of-residence']);
  });

  it('cannot go somewhere it holds nothing of while offline, and changes nothing trying', async () => {
    await db.outbox.add(queued('m1'));
    await expect(switchEstablishment(NORTH_PLACE)).rejects.toThrow(CannotSwitchError);
    expect(await unitNames()).toEqual(['A Wing', 'B Wing']);
    expect(await outboxIds()).toEqual(['m1']);
    expect((await getStoredSession())?.info.establishment.id).toBe(DEMO);
    await markSessionExpired();
    await expect(switchEstablishment(NORTH_PLACE, inNorth)).rejects.toThrow('Sign in again');
  });

  it('refuses to forget a person while another establishment still holds their unsent work', async () => {
    await db.outbox.add(queued('m1'));
    await switchEstablishment(NORTH_PLACE, inNorth);
    await expect(wipeLocalData()).rejects.toThrow(UnsyncedWorkError);
    await expect(wipeLocalData()).rejects.toThrow(/1 of them in another establishment/);
    await switchEstablishment(DEMO_PLACE);
    await db.outbox.clear();
    await wipeLocalData();
    expect(await parkedEstablishments()).toEqual([]);
    expect(await getStoredSession()).toBeNull();
  });
});
