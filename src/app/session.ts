import { countDrafts, countWaiting, DraftsOpenError, getStoredSession, saveSession, UnsyncedWorkError, wipeLocalData } from '../data/session.ts';
import { CSRF_HEADER, SessionInfo, SignOutResponse, type ChangePasswordRequest } from '../shared/auth.ts';
import { ApiRequestError } from '../sync/api-client.ts';
import { api } from './api.ts';

// Set when someone signs out with no connection: the server session is ended at the next chance.
const PENDING_SIGN_OUT = 'wingcheck.pendingSignOut';

/**
 * Signs in. On a device still holding another person's unsent work, only that person may sign in
 * (their work would otherwise be sent under the wrong name, or lost); with nothing waiting, the
 * previous person's data is wiped first.
 */
export async function signIn(username: string, password: string): Promise<SessionInfo> {
  const stored = await getStoredSession();
  const previous = stored?.info.user.username;
  const wanted = username.trim().toLowerCase();
  if (previous && previous !== wanted && (await countWaiting()) + (await countDrafts()) > 0) {
    throw new ApiRequestError(
      409,
      'unsynced_work',
      `This tablet has work by ${stored.info.user.displayName} not yet sent. ${stored.info.user.displayName} must sign in to finish and send it first.`,
    );
  }
  const info = await api.post('/api/session', { username, password }, SessionInfo);
  if (previous && previous !== info.user.username) await wipeLocalData();
  await saveSession(info);
  return info;
}

/** Replaces the password (a one-time one must be, before anything else); the session goes on. */
export async function changePassword(request: ChangePasswordRequest): Promise<SessionInfo> {
  const info = await api.post('/api/session/password', request, SessionInfo);
  await saveSession(info);
  return info;
}

/**
 * Signs out and wipes this person's data from the device; refused while work waits to sync. For a
 * single sign-on session, answers the provider's sign-out address, where the app goes next.
 */
export async function signOut(): Promise<string | null> {
  const waiting = await countWaiting();
  if (waiting > 0) throw new UnsyncedWorkError(waiting);
  const drafts = await countDrafts();
  if (drafts > 0) throw new DraftsOpenError(drafts);
  const stored = await getStoredSession();
  let endSessionUrl: string | null = null;
  try {
    endSessionUrl = (await api.delete('/api/session', SignOutResponse))?.endSessionUrl ?? null;
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
    const info = await api.get('/api/me', SessionInfo);
    await saveSession(info);
  } catch (error) {
    if (!(error instanceof ApiRequestError)) throw error;
    // Offline or unauthorised: the stored session stays, so the app keeps working offline.
  }
}
