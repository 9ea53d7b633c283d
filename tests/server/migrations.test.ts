import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../server/src/db/client.ts';
import { migrate, readMigrations } from '../../server/src/db/migrate.ts';
import { newId } from '../../src/shared/ids.ts';
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

  it('puts actions the plan alone called complete back to not started, keeping a status a person set', async () => {
    const files = await readMigrations();
    const before = files.filter((m) => m.version < '0009');
    await migrate(db, before);
    const establishment = newId();
    const plan = newId();
    const rec = newId();
    const claimed = newId();
    const judged = newId();
    const open = newId();
    await db.query("INSERT INTO establishments (id, name) VALUES ($1, 'HMP Migration')", [establishment]);
    await db.query("INSERT INTO plans (id, establishment_id, title, source_file) VALUES ($1, $2, 'Plan', 'plan.txt')", [plan, establishment]);
    await db.query("INSERT INTO recommendations (id, plan_id, ref, position) VALUES ($1, $2, '1', 0)", [rec, plan]);
    const action = (id: string, position: number, complete: boolean, status: string) =>
      db.query("INSERT INTO actions (id, recommendation_id, position, text, complete, status) VALUES ($1, $2, $3, 'Do it', $4, $5)", [
        id, rec, position, complete, status,
      ]);
    // As the importer used to store them: a plan's "Complete" made the action complete.
    await action(claimed, 0, true, 'complete');
    await action(judged, 1, true, 'complete');
    await action(open, 2, false, 'in-progress');
    await db.query(
      `INSERT INTO audit_log (establishment_id, seq, at, action, entity_type, entity_id, prev_hash, hash)
       VALUES ($1, 1, now(), 'action.set-status', 'action', $2, '', 'x')`,
      [establishment, judged],
    );

    await migrate(db, files);
    const rows = await db.query<{ id: string; status: string; version: number }>('SELECT id, status, version FROM actions ORDER BY position');
    expect(rows).toEqual([
      { id: claimed, status: 'not-started', version: 2 },
      { id: judged, status: 'complete', version: 1 },
      { id: open, status: 'in-progress', version: 1 },
    ]);
  });
});
