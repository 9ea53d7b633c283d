import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../server/src/db/client.ts';
import { migrate, readMigrations } from '../../server/src/db/migrate.ts';
import { ensureBuiltinTemplates } from '../../server/src/services/templates.ts';
import { dayOfCheck } from '../../src/shared/coverage.ts';
import { newId } from '../../src/shared/ids.ts';
import { openTestDb, TEST_ENGINE } from './support/test-db.ts';

const DAY_MIGRATION = '0008_check_day';

interface Stored {
  id: string;
  kind: 'check' | 'note';
  dueOn: string | null;
  startedAt: string;
  supersedes: string | null;
}

/** Checks stored before migration 0008 get the day dayOfCheck gives, corrections down their chains included. */
describe(`the day of each check, filled in by migration 0008 on ${TEST_ENGINE}`, () => {
  let db: Db;
  beforeEach(async () => {
    db = await openTestDb();
  });
  afterEach(async () => {
    await db.close();
  });

  async function establishment(timeZone: string): Promise<{ id: string; unitId: string; userId: string; versionId: string }> {
    const id = newId();
    const unitId = newId();
    const userId = newId();
    await db.query('INSERT INTO establishments (id, name, time_zone) VALUES ($1, $2, $3)', [id, `HMP ${timeZone}`, timeZone]);
    await db.query("INSERT INTO units (id, establishment_id, name) VALUES ($1, $2, 'A Wing')", [unitId, id]);
    await db.query("INSERT INTO users (id, username, display_name, password_hash) VALUES ($1, $2, 'Sam', 'x')", [userId, `sam.${id}`]);
    await ensureBuiltinTemplates(db, id);
    const [version] = await db.query<{ id: string }>(
      `SELECT v.id FROM template_versions v JOIN templates t ON t.id = v.template_id
       WHERE t.establishment_id = $1 AND t.key = 'daily-servery-check'`,
      [id],
    );
    return { id, unitId, userId, versionId: version?.id ?? '' };
  }

  it('uses the due date, the local day started (per establishment), or the day of the corrected check', async () => {
    const migrations = await readMigrations();
    expect(migrations.map((m) => m.version)).toContain(DAY_MIGRATION);
    await migrate(db, migrations.filter((m) => m.version < DAY_MIGRATION));

    const london = await establishment('Europe/London');
    const newYork = await establishment('America/New_York');
    // Not a zone PostgreSQL knows: the migration must still run (the app's fallback, Europe/London).
    const nowhere = await establishment('Mars/Olympus_Mons');
    const rows: { at: typeof london; check: Stored; day: string }[] = [];
    const add = (at: typeof london, day: string, check: Partial<Stored> & { startedAt: string }): Stored => {
      const stored: Stored = { id: newId(), kind: 'check', dueOn: null, supersedes: null, ...check };
      rows.push({ at, check: stored, day });
      return stored;
    };
    add(london, '2026-11-16', { dueOn: '2026-11-16', startedAt: '2026-11-17T00:20:00Z' });
    add(london, '2026-07-16', { startedAt: '2026-07-15T23:30:00Z' });
    add(london, '2026-11-16', { startedAt: '2026-11-16T23:30:00Z' });
    add(london, '2026-03-30', { startedAt: '2026-03-29T23:30:00Z' });
    add(london, '2026-11-16', { kind: 'note', startedAt: '2026-11-16T10:00:00Z' });
    const typo = add(london, '2026-11-11', { startedAt: '2026-11-11T21:00:00Z' });
    const fix = add(london, '2026-11-11', { startedAt: '2026-11-12T08:00:00Z', supersedes: typo.id });
    add(london, '2026-11-11', { startedAt: '2026-11-13T08:00:00Z', supersedes: fix.id });
    add(newYork, '2026-11-16', { startedAt: '2026-11-17T03:00:00Z' });
    add(nowhere, '2026-07-16', { startedAt: '2026-07-15T23:30:00Z' });
    for (const { at, check } of rows) {
      await db.query(
        `INSERT INTO checks (id, establishment_id, kind, template_version_id, due_on, unit_id, author_id, device_id, started_at, submitted_at,
           received_at, supersedes)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'tablet', $8, $8, $8, $9)`,
        [check.id, at.id, check.kind, check.kind === 'check' ? at.versionId : null, check.dueOn, at.unitId, at.userId, check.startedAt, check.supersedes],
      );
    }

    expect(await migrate(db, migrations.filter((m) => m.version <= DAY_MIGRATION))).toEqual([DAY_MIGRATION]);
    const stored = await db.query<{ id: string; day: string | null }>("SELECT id, to_char(day, 'YYYY-MM-DD') AS day FROM checks");
    const days = new Map(stored.map((r) => [r.id, r.day]));
    for (const { check, day } of rows) expect(days.get(check.id), JSON.stringify(check)).toBe(day);

    // The same rule as the server applies to a check arriving now.
    const zones = new Map([[london.id, 'Europe/London'], [newYork.id, 'America/New_York'], [nowhere.id, 'Europe/London']]);
    for (const { at, check, day } of rows) {
      const corrects = rows.find((r) => r.check.id === check.supersedes);
      const correctsDay = corrects ? corrects.day : null;
      expect(dayOfCheck({ dueOn: check.dueOn, startedAt: check.startedAt, correctsDay }, zones.get(at.id) ?? '')).toBe(day);
    }
  });
});
