/**
 * Vitest global setup for the server-pglite suite: one fresh PGlite's data directory, dumped to a
 * file once for the whole run. A new PGlite runs initdb (seconds on a slow machine); each test
 * file loads this dump instead (see test-db.ts), so the suite pays for initdb once, not once a file.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    emptyPgliteDumpPath: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = await mkdtemp(path.join(tmpdir(), 'wingcheck-pglite-dump-'));
  const pglite = await PGlite.create();
  const dump = await pglite.dumpDataDir('none');
  await pglite.close();
  const file = path.join(dir, 'empty-pglite.tar');
  await writeFile(file, new Uint8Array(await dump.arrayBuffer()));
  project.provide('emptyPgliteDumpPath', file);
  return () => rm(dir, { recursive: true, force: true });
}
