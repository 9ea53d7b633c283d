import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../server/src/db/client.ts';
import { migrate, readMigrations } from '../../server/src/db/migrate.ts';
import { openTestDb, TEST_ENGINE } from './support/test-db.ts';

describe(`migrations on ${TEST_ENGINE}`, () => {
  let db: Db;
  beforeEach(async () => {
    db = await openTestDb();
  });
  afterEach(async () => {
    await db.close();
  });

  it('applies every migration once, records it, and does nothing the second time', async () => {
    const files = await readMigrations();
    expect(files.length).toBeGreaterThan(0);

    const first = await migrate(db);
    expect(first).toEqual(files.map((m) => m.version));
    const second = await migrate(db);
    expect(second).toEqual([]);

    const recorded = await db.query<{ version: string; checksum: string }>(
      'SELECT version, checksum FROM schema_migrations ORDER BY version',
    );
    expect(recorded).toEqual(files.map((m) => ({ version: m.version, checksum: m.checksum })));
    const tables = await db.query<{ table_name: string }>(
      'SELECT table_name FROM information_schema.tables WHERE table_schema = \'public\' ORDER BY table_name',
    );
    expect(tables.map((t) => t.table_name)).toEqual(
      expect.arrayContaining(['establishments', 'units', 'plans', 'recommendations', 'actions', 'schema_migrations']),
    );
  });

  it('refuses to start when an applied migration was edited afterwards', async () => {
    const files = await readMigrations();
    await migrate(db, files);
    const edited = files.map((m, i) => (i === 0 ? { ...m, sql: `${m.sql}\n-- edited`, checksum: 'different' } : m));
    await expect(migrate(db, edited)).rejects.toThrow(/was edited after it was applied/);
  });

  it('rolls back a failing migration completely, leaving it unrecorded', async () => {
    const files = await readMigrations();
    const broken = { version: '9999_broken', sql: 'CREATE TABLE half_done (id int); SELECT * FROM no_such_table;', checksum: 'x' };
    await expect(migrate(db, [...files, broken])).rejects.toThrow(/no_such_table/);
    const tables = await db.query<{ table_name: string }>(
      'SELECT table_name FROM information_schema.tables WHERE table_name = \'half_done\'',
    );
    expect(tables).toEqual([]);
    const recorded = await db.query<{ version: string }>('SELECT version FROM schema_migrations');
    expect(recorded.map((r) => r.version)).not.toContain('9999_broken');
  });
});
