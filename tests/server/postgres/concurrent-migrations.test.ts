// PostgreSQL only (the server-pglite suite excludes tests/server/postgres): several server
// processes may start against one PostgreSQL; PGlite is one process by design.
import { describe, expect, it } from 'vitest';
import { openPostgres } from '../../../server/src/db/client.ts';
import { migrate, readMigrations } from '../../../server/src/db/migrate.ts';
import { createTestDatabase } from '../support/test-db.ts';

describe('migrations on postgres with several servers', () => {
  it('applies each migration exactly once when three servers start at the same moment', async () => {
    const database = await createTestDatabase();
    if (!database.url) throw new Error('this suite needs PostgreSQL');
    const url = database.url;
    const servers = await Promise.all([1, 2, 3].map(() => openPostgres(url, { max: 2 })));
    try {
      const results = await Promise.all(servers.map((server) => migrate(server)));
      const files = await readMigrations();
      expect(results.flat().sort()).toEqual(files.map((m) => m.version).sort());
      const rows = await servers[0]?.query<{ count: number }>('SELECT count(*)::int AS count FROM schema_migrations');
      expect(rows?.[0]?.count).toBe(files.length);
    } finally {
      await Promise.all(servers.map((server) => server.close()));
      await database.drop();
    }
  });
});
