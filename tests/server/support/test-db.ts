import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { inject } from 'vitest';
import { openPglite, openPostgres, type Db } from '../../../server/src/db/client.ts';

export type TestEngine = 'pglite' | 'postgres';

export const TEST_ENGINE: TestEngine = process.env.WINGCHECK_TEST_ENGINE === 'postgres' ? 'postgres' : 'pglite';

export interface TestDatabase {
  /** Set for PostgreSQL: a database of this test's own, for code that connects by URL. */
  url: string | null;
  drop(): Promise<void>;
}

/** A fresh, empty database on the suite's engine (PostgreSQL: a new database in the cluster). */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (TEST_ENGINE === 'pglite') return { url: null, drop: () => Promise.resolve() };
  const adminUrl = inject('postgresAdminUrl');
  const name = `wingcheck_test_${randomBytes(6).toString('hex')}`;
  const admin = await openPostgres(adminUrl, { max: 1 });
  await admin.exec(`CREATE DATABASE ${name}`);
  await admin.close();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const dropper = await openPostgres(adminUrl, { max: 1 });
      await dropper.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.close();
    },
  };
}

// A new PGlite runs initdb (seconds); restoring a dump of a fresh one takes a fraction of that.
// The suite's global setup (pglite-dump.ts) makes the dump once for every file of the run.
let emptyPgliteDump: Promise<Blob> | undefined;
function emptyPglite(): Promise<Blob> {
  emptyPgliteDump ??= readFile(inject('emptyPgliteDumpPath')).then((bytes) => new Blob([bytes]));
  return emptyPgliteDump;
}

/** An open, empty (not migrated) database on the suite's engine; close() also drops it. */
export async function openTestDb(): Promise<Db> {
  const database = await createTestDatabase();
  const db = database.url ? await openPostgres(database.url) : await openPglite({ loadDataDir: await emptyPglite() });
  return {
    ...db,
    async close() {
      await db.close();
      await database.drop();
    },
  };
}
