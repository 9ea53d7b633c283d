// PostgreSQL only: the connection pool keeps a connection between bursts of pushes minutes apart.
import { describe, expect, it } from 'vitest';
import { openPostgres, POOL_IDLE_MS } from '../../../server/src/db/client.ts';
import { createTestDatabase } from '../support/test-db.ts';

/** pg-pool's own default, which closed connections between tablets' syncs. */
const PG_POOL_DEFAULT_IDLE_MS = 10_000;

describe('the PostgreSQL connection pool', () => {
  it('keeps an idle connection past pg-pool’s 10 s default, so a later push finds its backend and its prepared statements', async () => {
    expect(POOL_IDLE_MS).toBeGreaterThan(PG_POOL_DEFAULT_IDLE_MS);
    const database = await createTestDatabase();
    if (!database.url) throw new Error('this suite needs PostgreSQL');
    const db = await openPostgres(database.url, { max: 1 });
    try {
      const backend = async () => (await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid'))[0]?.pid;
      const first = await backend();
      await new Promise((resolve) => setTimeout(resolve, PG_POOL_DEFAULT_IDLE_MS + 1500));
      expect(await backend()).toBe(first);
    } finally {
      await db.close();
      await database.drop();
    }
  });
});
