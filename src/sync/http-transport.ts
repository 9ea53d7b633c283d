import { pathOf, type EndpointSpec } from '../shared/api/endpoint.ts';
import { endpoints } from '../shared/api/endpoints.ts';
import { MAX_MISSING_QUERY, PHOTO_BATCH_TYPE, photoFrameHeader, PROTOCOL_HEADER, type PushRequest } from '../shared/api/sync.ts';
import { PROTOCOL_VERSION } from '../shared/protocol.ts';
import { identityHeaders, type RequestIdentity } from '../shared/api/identity.ts';
import { responseError } from '../shared/api/errors.ts';
import { TransportError, type SyncTransport } from './run.ts';

export interface HttpTransportOptions extends RequestIdentity {
  fetch?: typeof fetch;
}

/** The sync transport over the Wingcheck HTTP API, for the page and the service worker alike. */
export function httpTransport(options: HttpTransportOptions): SyncTransport {
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));

  interface Parts { params?: Record<string, string>; query?: Record<string, string> }
  async function send(
    spec: EndpointSpec,
    parts: Parts,
    body?: BodyInit,
    contentType?: string,
    extra: Record<string, string> = {},
  ): Promise<Response> {
    const { method } = spec;
    const headers = { ...(await identityHeaders(options, method)), ...extra };
    if (contentType) headers['content-type'] = contentType;
    let response: Response;
    try {
      response = await doFetch(pathOf(spec, parts.params, parts.query), { method, headers, body, credentials: 'same-origin', cache: 'no-store' });
    } catch {
      throw new TransportError(0, 'No connection to the server.');
    }
    if (!response.ok) {
      const error = await responseError(response);
      throw new TransportError(error.status, error.message, error.code);
    }
    return response;
  }

  interface Schema<T> { safeParse: (v: unknown) => { success: true; data: T } | { success: false } }
  async function json<T>(response: Response, schema: Schema<T>): Promise<T> {
    const parsed = schema.safeParse(await response.json().catch(() => null));
    // An answer this version cannot read: most likely the server is newer. Treated like 426.
    if (!parsed.success) throw new TransportError(426, 'The server sent an answer this version of the app does not understand.');
    return parsed.data;
  }

  const { 'blobs.put': putBlob, 'blobs.missing': missing, 'blobs.putMany': putMany, 'sync.push': push, 'sync.pull': pull } = endpoints;
  // Photo requests and pulls say which protocol they speak: a server that does not know it answers 426.
  const speaks = { [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) };
  return {
    async uploadBlob(sha256, bytes, mime) {
      await send(putBlob, { params: { sha256 } }, new Blob([bytes], { type: mime }), mime);
    },
    async missingBlobs(sha256s) {
      const lacking: string[] = [];
      for (let at = 0; at < sha256s.length; at += MAX_MISSING_QUERY) {
        const body = JSON.stringify({ sha256s: sha256s.slice(at, at + MAX_MISSING_QUERY) });
        lacking.push(...(await json(await send(missing, {}, body, 'application/json', speaks), missing.response)).missing);
      }
      return lacking;
    },
    async uploadBlobs(photos) {
      // Frames around the stored bytes: the browser streams the Blob's parts, copying none into one buffer here.
      const parts = photos.flatMap((p) => [photoFrameHeader(p.sha256, p.bytes.byteLength), p.bytes]);
      await send(putMany, {}, new Blob(parts, { type: PHOTO_BATCH_TYPE }), PHOTO_BATCH_TYPE, speaks);
    },
    async push(request: PushRequest) {
      return json(await send(push, {}, JSON.stringify(request), 'application/json'), push.response);
    },
    async pull(cursor) {
      // Saying which protocol it speaks, it is sent the changes that protocol carries (3: explanations).
      return json(await send(pull, { query: { cursor } }, undefined, undefined, speaks), pull.response);
    },
  };
}
