import type { z } from 'zod';
import { ApiRequestError, networkError, responseError } from '../shared/api/errors.ts';
import { CSRF_HEADER, DEVICE_HEADER, ESTABLISHMENT_HEADER } from '../shared/roles.ts';

export interface ApiClientOptions {
  /** The session's CSRF token, sent with every state-changing request. */
  csrfToken: () => Promise<string | null>;
  deviceId: () => Promise<string>;
  /** The establishment the device's data belongs to, so every request lands there. */
  establishmentId?: () => Promise<string | null>;
  /** The server said 401: the session ended. The caller keeps queued work and asks for sign-in. */
  onUnauthorised?: () => void;
  fetch?: typeof fetch;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * JSON over fetch to /api, shared by the page and (later) the service worker: adds the CSRF and
 * device headers, parses answers with the shared zod schemas, and turns failures into
 * ApiRequestError with the server's own readable message.
 */
export function createApiClient(options: ApiClientOptions) {
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));

  async function request<T>(
    method: Method,
    path: string,
    schema: z.ZodType<T> | null,
    body?: unknown,
    extraHeaders: Record<string, string> = {},
  ): Promise<T> {
    const headers: Record<string, string> = { [DEVICE_HEADER]: await options.deviceId(), ...extraHeaders };
    const establishment = await options.establishmentId?.();
    if (establishment) headers[ESTABLISHMENT_HEADER] = establishment;
    const raw = body instanceof Blob;
    if (body !== undefined && !raw) headers['content-type'] = 'application/json';
    if (method !== 'GET') {
      const token = await options.csrfToken();
      if (token) headers[CSRF_HEADER] = token;
    }
    let response: Response;
    try {
      response = await doFetch(path, {
        method,
        headers,
        credentials: 'same-origin',
        body: body === undefined ? undefined : raw ? body : JSON.stringify(body),
      });
    } catch {
      throw networkError();
    }
    if (response.status === 401) options.onUnauthorised?.();
    if (!response.ok) throw await responseError(response);
    if (!schema || response.status === 204) return undefined as T;
    const result = schema.safeParse(await response.json());
    if (!result.success) throw new ApiRequestError(response.status, 'bad_response', 'The server sent an answer this app does not understand. Update the app.');
    return result.data;
  }

  return {
    get: <T>(path: string, schema: z.ZodType<T>) => request('GET', path, schema),
    post: <T>(path: string, body: unknown, schema: z.ZodType<T>) => request('POST', path, schema, body),
    /** Sends a file's bytes as they are, with its name in a header. */
    upload: <T>(path: string, file: File, schema: z.ZodType<T>) =>
      request('POST', path, schema, file, { 'content-type': 'application/octet-stream', 'x-file-name': encodeURIComponent(file.name) }),
    put: <T = undefined>(path: string, body: unknown, schema?: z.ZodType<T>) => request<T>('PUT', path, schema ?? null, body),
    patch: <T>(path: string, body: unknown, schema: z.ZodType<T>) => request('PATCH', path, schema, body),
    /** With a schema: the answer, or undefined for 204 No Content. */
    delete: <T = undefined>(path: string, schema?: z.ZodType<T>) => request<T | undefined>('DELETE', path, schema ?? null),
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;
