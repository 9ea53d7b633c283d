/**
 * `fetch` for the benchmark's devices, sent through node:http, as PouchDB's client in the same benchmark sends
 * through node-fetch 2 and the loopback limit through node:http. Node's own fetch (undici) spent about 0.5 s of the
 * client's CPU on 294 MB of Blob bodies that node:http sends for under 0.1 s (scratch runs on the 2-core machine),
 * and on two cores that time is taken from the server it measures; a browser sends a Blob from its network process,
 * not the page's thread. A Blob is streamed from its own pieces, not first copied into one buffer. Requests only: a
 * method, headers, a string, bytes or Blob body, and an answer read whole.
 */
import { once } from 'node:events';
import { request as httpRequest, type ClientRequest, type IncomingHttpHeaders } from 'node:http';

type FetchHeaders = NonNullable<RequestInit['headers']>;

function plainHeaders(headers: FetchHeaders | undefined): Record<string, string> {
  return Object.fromEntries(new Headers(headers).entries());
}

/** A body sent whole with end(), or a Blob streamed piece by piece (never copied into one buffer). */
function bodyOf(body: RequestInit['body']): Uint8Array | string | Blob | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string' || body instanceof Blob) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  throw new TypeError('nodeHttpFetch sends strings, bytes and Blobs only');
}

/** Writes the Blob's pieces as the socket takes them, then ends the request. */
async function streamBlob(request: ClientRequest, blob: Blob): Promise<void> {
  for await (const piece of blob.stream()) if (!request.write(piece)) await once(request, 'drain');
  request.end();
}

function responseHeaders(headers: IncomingHttpHeaders): Headers {
  const out = new Headers();
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) out.append(name, one);
  }
  return out;
}

export const nodeHttpFetch: typeof fetch = async (input, init) => {
  if (input instanceof Request) throw new TypeError('nodeHttpFetch takes a URL and options, not a Request');
  const url = new URL(input);
  const body = bodyOf(init?.body);
  const headers = plainHeaders(init?.headers);
  // Streamed, a Blob goes with its Content-Length rather than chunked, as a browser sends it.
  if (body instanceof Blob) headers['content-length'] = String(body.size);
  return new Promise<Response>((resolve, reject) => {
    const request = httpRequest(url, { method: init?.method ?? 'GET', headers, signal: init?.signal ?? undefined }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => chunks.push(chunk));
      answer.on('error', reject);
      answer.on('end', () => {
        const status = answer.statusCode ?? 0;
        // A Response may not carry a body with these statuses.
        const bytes = status === 204 || status === 304 ? null : Buffer.concat(chunks);
        resolve(new Response(bytes, { status, statusText: answer.statusMessage, headers: responseHeaders(answer.headers) }));
      });
    });
    request.on('error', reject);
    if (body instanceof Blob) streamBlob(request, body).catch(reject);
    // Written whole with end(), the body goes with its Content-Length, not chunked.
    else request.end(body);
  });
};
