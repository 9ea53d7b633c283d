import { CSRF_HEADER, DEVICE_HEADER, ESTABLISHMENT_HEADER } from '../roles.ts';

/** Who a request to the API comes from: the device, the establishment its data belongs to, the session's CSRF token. */
export interface RequestIdentity {
  /** The session's CSRF token, sent with every state-changing request. */
  csrfToken: () => Promise<string | null>;
  deviceId: () => Promise<string>;
  /** The establishment the device's data belongs to: what it sends lands there, whatever the session was switched to. */
  establishmentId?: () => Promise<string | null>;
}

/** The headers every request to the API carries: the device, its establishment, and on a state change the CSRF token. */
export async function identityHeaders(identity: RequestIdentity, method: string): Promise<Record<string, string>> {
  const headers: Record<string, string> = { [DEVICE_HEADER]: await identity.deviceId() };
  const establishment = await identity.establishmentId?.();
  if (establishment) headers[ESTABLISHMENT_HEADER] = establishment;
  if (method !== 'GET') {
    const token = await identity.csrfToken();
    if (token) headers[CSRF_HEADER] = token;
  }
  return headers;
}
