import { assertNothingUnsent, unsentWork, wipeLocalData } from '../data/local-data.ts';
import { getStoredSession, saveSession } from '../data/session.ts';
import { switchEstablishment } from '../data/establishments.ts';
import { CSRF_HEADER, type SessionInfo, type ChangePasswordRequest, type Workplace } from '../shared/auth.ts';
import { ApiRequestError } from '../shared/api/errors.ts';
import { api } from './api.ts';

// Set when someone signs out with no connection: the server session is ended at the next chance.
const PENDING_SIGN_OUT = 'wingcheck.pendingSignOut';
// Set when someone changes establishment with no connection: the server session follows at the next
// chance (requests already say where they work; this is for plain links such as photos and downloads).
const PENDING_SWITCH = 'wingcheck.pendingEstablishment';

/**
 * Signs in. On a device still holding another person's unsent work, only that person may sign in
 * (their work would otherwise be sent under the wrong name, or lost); with nothing waiting, the
 * previous person's data is wiped first.
 */
export async function signIn(
  username: string,
  password: string,
  beforeStoring?: (info: SessionInfo) => void,
): Promise<SessionInfo> {
  const stored = await getStoredSession();
  const previous = stored?.info.user.username;
  const wanted = username.trim().toLowerCase();
  if (previous && previous !== wanted && (await unsentWork()) > 0) {
    throw new ApiRequestError(
      409,
      'unsynced_work',
      `This tablet has work by ${stored.info.user.displayName} not yet sent. ${stored.info.user.displayName} must sign in to finish and send it first.`,
    );
  }
  // The same person again: go on in the establishment whose data this device holds, if they still can.
  const sameHere = previous === wanted ? stored?.info.establishment.id : undefined;
  const info = await api.call('session.signIn', { body: { username, password, establishmentId: sameHere } }).catch((error: unknown) => {
    if (sameHere && error instanceof ApiRequestError && error.status === 403) return api.call('session.signIn', { body: { username, password } });
    throw error;
  });
  return storeNewSession(info, beforeStoring);
}

/**
 * Stores a session the server has just made (password or single sign-on). Another person's data
 * is wiped first (the caller has made sure none of it waits to be sent); the same person, now
 * working in another establishment than the one whose data the device holds, has that data parked.
 * `beforeStoring` runs just before the app sees the session (to choose the page it opens on).
 */
export async function storeNewSession(info: SessionInfo, beforeStoring?: (info: SessionInfo) => void): Promise<SessionInfo> {
  const stored = await getStoredSession();
  const previous = stored?.info.user.username;
  if (previous && previous !== info.user.username) await wipeLocalData();
  beforeStoring?.(info);
  const here = previous === info.user.username ? stored?.info.establishment.id : undefined;
  if (here && here !== info.establishment.id) return switchEstablishment({ ...info.establishment, roles: info.roles }, info);
  await saveSession(info);
  return info;
}

/** After signing in: someone who works in several establishments says where they are today. */
export const choosesEstablishment = (info: SessionInfo) => info.establishments.length > 1;

/**
 * Works in another of the person's establishments from now on. Online, the server moves the
 * session and says what the person may do there; offline, the device can go back to one whose data
 * it holds, and the server hears of it when the connection returns.
 */
export async function changeEstablishment(target: Workplace): Promise<SessionInfo> {
  try {
    const info = await api.call('session.switchEstablishment', { body: { establishmentId: target.id } });
    localStorage.removeItem(PENDING_SWITCH);
    return await switchEstablishment(target, info);
  } catch (error) {
    if (!(error instanceof ApiRequestError && error.isNetworkError)) throw error;
    const info = await switchEstablishment(target);
    localStorage.setItem(PENDING_SWITCH, target.id);
    return info;
  }
}

/** Replaces the password (a one-time one must be, before anything else); the session goes on. */
export async function changePassword(request: ChangePasswordRequest): Promise<SessionInfo> {
  const info = await api.call('session.changePassword', { body: request });
  await saveSession(info);
  return info;
}

/**
 * Signs out and wipes this person's data from the device; refused while work waits to sync. For a
 * single sign-on session, answers the provider's sign-out address, where the app goes next.
 */
export async function signOut(): Promise<string | null> {
  await assertNothingUnsent();
  const stored = await getStoredSession();
  let endSessionUrl: string | null = null;
  // While the session still stands: the server may forget this browser's push subscription.
  await import('../features/reminders/device-reminders.ts').then((m) => m.stopReminders()).catch(() => undefined);
  try {
    endSessionUrl = (await api.call('session.signOut'))?.endSessionUrl ?? null;
  } catch (error) {
    if (error instanceof ApiRequestError && error.isNetworkError && stored) {
      localStorage.setItem(PENDING_SIGN_OUT, stored.info.csrfToken);
    } else if (!(error instanceof ApiRequestError && error.status === 401)) {
      throw error;
    }
  }
  await wipeLocalData();
  return endSessionUrl;
}

/**
 * When online: finishes a sign-out made offline, and refreshes the stored session (roles may have
 * changed). A 401 marks the session ended (the API client's job) without touching queued work.
 */
export async function refreshSession(): Promise<void> {
  const pending = localStorage.getItem(PENDING_SIGN_OUT);
  if (pending) {
    const response = await fetch('/api/session', { method: 'DELETE', headers: { [CSRF_HEADER]: pending } }).catch(() => null);
    if (response) localStorage.removeItem(PENDING_SIGN_OUT);
  }
  const stored = await getStoredSession();
  if (!stored || stored.expired) return;
  try {
    const pendingSwitch = localStorage.getItem(PENDING_SWITCH);
    if (pendingSwitch === stored.info.establishment.id) {
      await api.call('session.switchEstablishment', { body: { establishmentId: pendingSwitch } });
    }
    localStorage.removeItem(PENDING_SWITCH);
    const info = await api.call('session.me');
    await saveSession(info);
  } catch (error) {
    if (!(error instanceof ApiRequestError)) throw error;
    // Offline or unauthorised: the stored session stays, so the app keeps working offline.
  }
}
