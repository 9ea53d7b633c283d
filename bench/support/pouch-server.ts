/**
 * The sync benchmark's CouchDB-compatible server: express-pouchdb on express, backed by PouchDB with its default
 * LevelDB adapter in a temp folder, so it stores to disk as Wingcheck's server does. Mode minimumForPouchDB: the
 * routes PouchDB replication needs, without Fauxton, config or log files. Runs in its own process.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express from 'express';
import expressPouchDB from 'express-pouchdb';
import PouchDB from 'pouchdb';
import { childPort, isEntry, READY_LINE, startChildServer } from '../../tests/support/child-server.ts';
import type { BenchServer } from './server.ts';

export async function startPouchServer(): Promise<BenchServer> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'wingcheck-bench-pouch-'));
  const server = await startChildServer('bench/support/pouch-server.ts', { POUCH_DATA_DIR: dataDir });
  return {
    url: server.url,
    exited: server.exited,
    signal: server.signal,
    stop: () => {
      server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

if (isEntry(import.meta.url)) {
  const dataDir = process.env.POUCH_DATA_DIR;
  if (!dataDir) throw new Error('POUCH_DATA_DIR is not set');
  const app = express();
  app.use(expressPouchDB(PouchDB.defaults({ prefix: `${dataDir}/` }), { mode: 'minimumForPouchDB' }));
  app.listen(childPort(), '127.0.0.1', () => {
    console.log(READY_LINE);
  });
}
