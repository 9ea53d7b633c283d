/** The signed-in person on this device, without UI hooks: also used by the service worker. */
import type { SessionInfo } from '../shared/auth.ts';
import type { RequestIdentity } from '../shared/api/identity.ts';
import { db } from './db.ts';
import { getClientId } from './device.ts';

/**
 * The signed-in person, kept on the device so the app opens to their screens with no network.
 * `expired`: the server has since said the session ended; the person must sign in again, and
 * nothing queued is touched meanwhile.
 */
export interface StoredSession {
  info: SessionInfo;
  expired: boolean;
}

/**
 * The shape of SessionInfo this build stores. A stored session is checked against the schema when
 * it is saved (it comes from the server through SessionInfo.parse), so reading it back needs no
 * zod on the first screen; one stored by a build with another shape is checked again by
 * upgradeStoredSession before use. tests/unit/session-shape.test.ts says when to bump it.
 */
export const SESSION_SHAPE = 2;

export async function getStoredSession(): Promise<StoredSession | null> {
  const [user, shape, expired] = await Promise.all([db.meta.get('user'), db.meta.get('sessionShape'), db.meta.get('sessionExpired')]);
  if (!user || shape?.value !== SESSION_SHAPE) return null;
  return { info: user.value as SessionInfo, expired: expired?.value === true };
}

/**
 * Whether someone is still signed in on this device (to this establishment, when given). Data
 * fetched from the server is written only if so, checked inside the writing transaction (which
 * must include `meta`): an answer arriving after the person signed out must not bring their data back.
 */
export async function stillSignedIn(establishmentId?: string): Promise<boolean> {
  const user = await db.meta.get('user');
  if (!user) return false;
  return establishmentId === undefined || (user.value as SessionInfo).establishment.id === establishmentId;
}

export async function saveSession(info: SessionInfo): Promise<void> {
  await db.transaction('rw', db.meta, async () => {
    await db.meta.bulkPut([{ key: 'user', value: info }, { key: 'sessionShape', value: SESSION_SHAPE }]);
    await db.meta.delete('sessionExpired');
  });
}

/**
 * After an update: re-reads a session stored under another shape through the schema, whose
 * defaults fill what older versions did not store, so an offline person stays signed in. One the
 * schema cannot read is left alone, and the person is asked to sign in.
 */
export async function upgradeStoredSession(): Promise<void> {
  const [user, shape] = await Promise.all([db.meta.get('user'), db.meta.get('sessionShape')]);
  if (!user || shape?.value === SESSION_SHAPE) return;
  const { SessionInfo } = await import('../shared/auth.ts');
  const parsed = SessionInfo.safeParse(user.value);
  if (parsed.success) await db.meta.bulkPut([{ key: 'user', value: parsed.data }, { key: 'sessionShape', value: SESSION_SHAPE }]);
}

export async function markSessionExpired(): Promise<void> {
  // One transaction: a request answered 401 just as the person signs out must not mark a session
  // that the sign-out's wipe has removed between the read and the write.
  await db.transaction('rw', db.meta, async () => {
    if (await db.meta.get('user')) await db.meta.put({ key: 'sessionExpired', value: true });
  });
}

/** This device as the API knows it: its id, and the stored session's establishment and CSRF token. */
export const deviceIdentity: RequestIdentity = {
  csrfToken: async () => (await getStoredSession())?.info.csrfToken ?? null,
  deviceId: getClientId,
  establishmentId: async () => (await getStoredSession())?.info.establishment.id ?? null,
};
