import type { EndpointSpec, RequestOf, ResponseOf } from '../shared/api/endpoint.ts';
import { pathOf } from '../shared/api/endpoint.ts';
import { endpoints, type EndpointName, type Endpoints } from '../shared/api/endpoints.ts';
import { ApiRequestError, networkError, responseError } from '../shared/api/errors.ts';
import { FILE_NAME_HEADER } from '../shared/api/plans.ts';
import { identityHeaders, type RequestIdentity } from '../shared/api/identity.ts';

export interface ApiClientOptions extends RequestIdentity {
  /** The server said 401: the session ended. The caller keeps queued work and asks for sign-in. */
  onUnauthorised?: () => void;
  fetch?: typeof fetch;
}

/** An endpoint that takes nothing may be called with nothing. */
type Args<E extends EndpointSpec> = keyof RequestOf<E> extends never ? [request?: RequestOf<E>] : [request: RequestOf<E>];

interface RequestParts {
  params?: Record<string, unknown>;
  query?: Record<string, unknown>;
  body?: unknown;
}

/**
 * Calls to the API by their name in the endpoint table (src/shared/api/endpoints.ts): the path,
 * method and schemas come from the table, so a call cannot pair a path with the wrong schema. Adds
 * the device, establishment and CSRF headers, parses answers with the table's zod schema, and
 * turns failures into ApiRequestError with the server's message and the fields it named.
 */
export function createApiClient(options: ApiClientOptions) {
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));

  async function send(spec: EndpointSpec, parts: RequestParts, signal?: AbortSignal): Promise<Response> {
    const headers = await identityHeaders(options, spec.method);
    let body: BodyInit | undefined;
    if (parts.body instanceof Blob) {
      body = parts.body;
      headers['content-type'] = 'application/octet-stream';
      if (parts.body instanceof File) headers[FILE_NAME_HEADER] = encodeURIComponent(parts.body.name);
    } else if (parts.body !== undefined) {
      body = JSON.stringify(parts.body);
      headers['content-type'] = 'application/json';
    }
    let response: Response;
    try {
      const init: RequestInit = { method: spec.method, headers, credentials: 'same-origin', body, signal };
      response = await doFetch(pathOf(spec, parts.params, parts.query), init);
    } catch (error) {
      if (signal?.aborted) throw error;
      throw networkError();
    }
    if (response.status === 401) options.onUnauthorised?.();
    if (!response.ok) throw await responseError(response);
    return response;
  }

  return {
    /** Calls an endpoint and answers its parsed response (undefined for one that answers nothing). */
    async call<N extends EndpointName>(name: N, ...[request]: Args<Endpoints[N]>): Promise<ResponseOf<Endpoints[N]>> {
      const spec: EndpointSpec = endpoints[name];
      const response = await send(spec, (request ?? {}));
      if (typeof spec.response === 'string') return undefined as ResponseOf<Endpoints[N]>;
      // 204 No Content parses as undefined: only an endpoint whose answer is optional accepts it.
      const json: unknown = response.status === 204 ? undefined : await response.json().catch(() => null);
      const result = spec.response.safeParse(json);
      if (!result.success) throw new ApiRequestError(response.status, 'bad_response', 'The server sent an answer this app does not understand. Update the app.');
      return result.data as ResponseOf<Endpoints[N]>;
    },
    /** Calls an endpoint that answers a file (an evidence pack), for its streamed body and headers. */
    file<N extends EndpointName>(name: N, request: RequestOf<Endpoints[N]>, signal?: AbortSignal): Promise<Response> {
      return send(endpoints[name], request, signal);
    },
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;
