/**
 * Single sign-on on the device: where the sign-in page learns what the server offers, sends the
 * person to the provider, and, on their return (`?sso=done`, the server having set the session
 * cookie), stores the session exactly as a password sign-in does, so it works offline the same.
 */
import { api } from '../../api/api.ts';
import { storeNewSession } from '../../api/session.ts';
import { unsentWork } from '../../data/local-data.ts';
import { getStoredSession } from '../../data/session.ts';
import { CSRF_HEADER, SessionInfo, type SessionOptions, SSO_ERRORS, type SsoError } from '../../shared/auth.ts';
import { ApiRequestError } from '../../shared/api/errors.ts';

export function fetchSessionOptions(): Promise<SessionOptions> {
  return api.call('session.options');
}

/** Goes to the provider; it sends the person back to this page's path. */
export async function startSso(): Promise<void> {
  const here = location.pathname.startsWith('//') ? '/' : location.pathname;
  const { authorizationUrl } = await api.call('session.oidcStart', { body: { returnTo: here } });
  location.assign(authorizationUrl);
}

/** Takes `name` out of the address bar, so a reload neither repeats nor re-shows it; returns its value. */
function takeParam(name: string): string | null {
  const url = new URL(location.href);
  const value = url.searchParams.get(name);
  if (value === null) return null;
  url.searchParams.delete(name);
  history.replaceState(history.state, '', `${url.pathname}${url.search}${url.hash}`);
  return value;
}

/** Why single sign-on sent the person back here, in words, if it did. */
export function takeSsoError(): string | null {
  const code = takeParam('sso_error');
  if (code === null) return null;
  return code in SSO_ERRORS ? SSO_ERRORS[code as SsoError] : SSO_ERRORS.failed;
}

/** True when the person has just come back from the provider signed in. */
export function takeSsoDone(): boolean {
  return takeParam('sso') === 'done';
}

/**
 * Stores the session the server has just made. As with a password: on a device holding another
 * person's unsent work, only that person may sign in (the new session is ended again); with
 * nothing waiting, the previous person's data is wiped first.
 */
export async function finishSso(beforeStoring?: (info: SessionInfo) => void): Promise<void> {
  const stored = await getStoredSession();
  // The new session as the server made it: not through the API client, which would say the
  // establishment of the device's data (another person's, perhaps).
  const response = await fetch('/api/me', { credentials: 'same-origin' }).catch(() => null);
  if (!response?.ok) throw new ApiRequestError(response?.status ?? 0, 'sso_failed', 'Single sign-on did not work. Try again.');
  let info = SessionInfo.parse(await response.json());
  const previous = stored?.info.user.username;
  if (previous && previous !== info.user.username) {
    if ((await unsentWork()) > 0) {
      // Its own token: the API client would send the stored (previous) person's.
      await fetch('/api/session', { method: 'DELETE', headers: { [CSRF_HEADER]: info.csrfToken } }).catch(() => null);
      const name = stored.info.user.displayName;
      throw new ApiRequestError(409, 'unsynced_work', `This tablet has work by ${name} not yet sent. ${name} must sign in to finish and send it first.`);
    }
  }
  // The same person again: go on in the establishment whose data this device holds, if they still can.
  const here = previous === info.user.username ? stored?.info.establishment.id : undefined;
  if (here && here !== info.establishment.id) {
    info = await api.call('session.switchEstablishment', { body: { establishmentId: here } }).catch((error: unknown) => {
      if (error instanceof ApiRequestError && error.status === 403) return info;
      throw error;
    });
  }
  await storeNewSession(info, beforeStoring);
}
