/**
 * The loopback limit for the sync benchmark: a plain node:http server that reads a request body, counts its bytes and
 * discards them, then answers with the count. Nothing stored, nothing parsed: what the wire alone costs. Own process.
 */
import { createServer } from 'node:http';
import { childPort, isEntry, READY_LINE, startChildServer } from '../../tests/support/child-server.ts';
import type { BenchServer } from './server.ts';

export function startSinkServer(): Promise<BenchServer> {
  return startChildServer('bench/support/sink-server.ts');
}

if (isEntry(import.meta.url)) {
  const server = createServer((request, response) => {
    let bytes = 0;
    request.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
    });
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ bytes }));
    });
  });
  server.listen(childPort(), '127.0.0.1', () => {
    console.log(READY_LINE);
  });
}
