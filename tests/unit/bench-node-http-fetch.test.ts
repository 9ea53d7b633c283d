import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeHttpFetch } from '../../bench/support/node-http-fetch.ts';

/** What the server saw of each request: the sync benchmark's counts and photos depend on it arriving whole. */
interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

let server: Server;
let base: string;
const seen: Seen[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      seen.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks) });
      if (request.url === '/empty') {
        response.writeHead(204).end();
        return;
      }
      response.setHeader('set-cookie', ['a=1', 'b=2']);
      response.writeHead(request.url === '/missing' ? 404 : 200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ bytes: Buffer.concat(chunks).length }));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => {
  server.close();
});

describe('the sync benchmark’s fetch over node:http', () => {
  it('sends a Blob of several parts whole, with its length, method and headers', async () => {
    const parts = [new Uint8Array([1, 2, 3]), new Uint8Array(70_000).fill(7), new Uint8Array([9])];
    const response = await nodeHttpFetch(`${base}/batch?x=1`, {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream', 'x-csrf-token': 't' },
      body: new Blob(parts),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ bytes: 70_004 });
    const last = seen.at(-1);
    expect(last?.method).toBe('PUT');
    expect(last?.url).toBe('/batch?x=1');
    expect(last?.headers['content-length']).toBe('70004');
    expect(last?.headers['x-csrf-token']).toBe('t');
    expect([...(last?.body.subarray(0, 4) ?? [])]).toEqual([1, 2, 3, 7]);
    expect(last?.body.at(-1)).toBe(9);
  });

  it('sends a string as UTF-8 and answers with the status and every header', async () => {
    const response = await nodeHttpFetch(`${base}/missing`, { method: 'POST', headers: new Headers({ 'content-type': 'application/json' }), body: '{"a":"é"}' });
    expect(response.ok).toBe(false);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(seen.at(-1)?.body.toString('utf8')).toBe('{"a":"é"}');
    expect(seen.at(-1)?.headers['content-length']).toBe('10');
  });

  it('gets without a body and reads a 204 as empty', async () => {
    const response = await nodeHttpFetch(`${base}/empty`);
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
    expect(seen.at(-1)?.method).toBe('GET');
    expect(seen.at(-1)?.body.length).toBe(0);
  });

  it('rejects when nothing answers, as fetch does', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as AddressInfo).port;
    closed.close();
    await once(closed, 'close');
    await expect(nodeHttpFetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
  });
});
