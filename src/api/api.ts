import { deviceIdentity, markSessionExpired } from '../data/session.ts';
import { createApiClient } from './client.ts';

/** The page's API client: the stored session's CSRF token, this device's id, 401 ends the session. */
export const api = createApiClient({
  ...deviceIdentity,
  onUnauthorised: () => {
    markSessionExpired().catch((error: unknown) => {
      console.error('could not record the ended session', error);
    });
  },
});
