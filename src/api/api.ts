import { getClientId } from '../data/device.ts';
import { getStoredSession, markSessionExpired } from '../data/session.ts';
import { createApiClient } from './client.ts';

/** The page's API client: the stored session's CSRF token, this device's id, 401 ends the session. */
export const api = createApiClient({
  csrfToken: async () => (await getStoredSession())?.info.csrfToken ?? null,
  deviceId: getClientId,
  establishmentId: async () => (await getStoredSession())?.info.establishment.id ?? null,
  onUnauthorised: () => {
    markSessionExpired().catch((error: unknown) => {
      console.error('could not record the ended session', error);
    });
  },
});
