import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../server/src/db/client.ts';
import { DEMO_ESTABLISHMENT, seedDemo } from '../../server/src/db/demo.ts';
import { migrate } from '../../server/src/db/migrate.ts';
import { newId } from '../../src/shared/ids.ts';
import { openTestDb, TEST_ENGINE } from './support/test-db.ts';

describe(`demo data on ${TEST_ENGINE}`, () => {
  let db: Db;
  beforeEach(async () => {
    db = await openTestDb();
    await migrate(db);
  });
  afterEach(async () => {
    await db.close();
  });

  it('creates HMP Demo with six units, each with landings, and the Werrington 2025 plan', async () => {
    expect(await seedDemo(db)).toBe(true);
    const establishments = await db.query<{ id: string; name: string }>('SELECT id, name FROM establishments');
    expect(establishments.map((e) => e.name)).toEqual([DEMO_ESTABLISHMENT]);
    const units = await db.query<{ name: string; landings: string[] }>('SELECT name, landings FROM units');
    expect(units).toHaveLength(6);
    for (const unit of units) expect(unit.landings.length).toBeGreaterThan(0);
    const actions = await db.query<{ ref: string; text: string; due: unknown; complete: boolean }>(
      `SELECT r.ref, a.text, a.due, a.complete FROM actions a
       JOIN recommendations r ON r.id = a.recommendation_id
       JOIN plans p ON p.id = r.plan_id
       WHERE p.establishment_id = $1`,
      [establishments[0]?.id ?? ''],
    );
    expect(actions).toHaveLength(66);
    expect(new Set(actions.map((a) => a.ref))).toEqual(new Set(['1', '2', '3', '4', '5', '6', '7', '8']));
    expect(actions.filter((a) => a.complete).length).toBeGreaterThan(20);
    const recs = await db.query<{ ref: string; category: string }>('SELECT ref, category FROM recommendations ORDER BY position');
    expect(recs.map((r) => r.category)).toEqual([...Array<string>(5).fill('Priority concern'), ...Array<string>(3).fill('Key concern')]);
  });

  it('never adds a second demo, and never touches a database that already has an establishment', async () => {
    expect(await seedDemo(db)).toBe(true);
    expect(await seedDemo(db)).toBe(false);
    const [count] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM units');
    expect(count?.n).toBe(6);

    const other = await openTestDb();
    try {
      await migrate(other);
      await other.query('INSERT INTO establishments (id, name) VALUES ($1, $2)', [newId(), 'HMP Real']);
      expect(await seedDemo(other)).toBe(false);
      const rows = await other.query<{ name: string }>('SELECT name FROM establishments');
      expect(rows.map((r) => r.name)).toEqual(['HMP Real']);
    } finally {
      await other.close();
    }
  });
});
