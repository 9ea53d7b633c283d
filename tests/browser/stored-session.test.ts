// The stored session in real IndexedDB: read back without zod, and re-checked after an update.
import { afterEach, describe, expect, it } from 'vitest';
import { db } from '../../src/data/db.ts';
import { getStoredSession, saveSession, SESSION_SHAPE, upgradeStoredSession } from '../../src/data/session-store.ts';

const info = {
  user: { id: '0190e6a4-1c2b-7d3e-8f40-5a6b7c8d9e0f', username: 'so.demo', displayName: 'Sam Officer' },
  roles: ['unit-manager' as const],
  establishment: { id: '0190e6a4-1c2b-7d3e-8f40-5a6b7c8d9e10', name: 'HMP Werrington', timeZone: 'Europe/London' },
  establishments: [{ id: '0190e6a4-1c2b-7d3e-8f40-5a6b7c8d9e10', name: 'HMP Werrington', roles: ['unit-manager' as const] }],
  unitIds: [],
  csrfToken: 'token',
  mustChangePassword: false,
};

afterEach(async () => {
  await db.meta.clear();
});

describe('stored session', () => {
  it('reads back what was saved', async () => {
    await saveSession(info);
    expect(await getStoredSession()).toEqual({ info, expired: false });
  });

  it('after an update, re-checks a session stored by an older build and fills what it lacked', async () => {
    // As an older build stored it: no shape number, no time zone, no units.
    const older = { ...info, unitIds: undefined, establishment: { id: info.establishment.id, name: info.establishment.name } };
    await db.meta.put({ key: 'user', value: JSON.parse(JSON.stringify(older)) as unknown });
    expect(await getStoredSession()).toBeNull();
    await upgradeStoredSession();
    expect(await getStoredSession()).toEqual({ info, expired: false });
    expect((await db.meta.get('sessionShape'))?.value).toBe(SESSION_SHAPE);
  });

  it('leaves a session the schema cannot read, so the person signs in again', async () => {
    await db.meta.put({ key: 'user', value: { user: 'not a user' } });
    await upgradeStoredSession();
    expect(await getStoredSession()).toBeNull();
  });
});
