import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DirectoryBlobStore } from '../../server/src/blobs.ts';
import type { Db } from '../../server/src/db/client.ts';
import { HISTORY_DAYS } from '../../server/src/db/demo-history.ts';
import { DEMO_ESTABLISHMENT, DEMO_STAFF, DEMO_USERS, seedDemo, type DemoSeed } from '../../server/src/db/demo.ts';
import { migrate } from '../../server/src/db/migrate.ts';
import { CoverageResponse } from '../../src/shared/api/coverage.ts';
import { decodeCells } from '../../src/shared/coverage-compact.ts';
import { PullResponse } from '../../src/shared/api/sync.ts';
import { newId } from '../../src/shared/ids.ts';
import { localDateOf } from '../../src/shared/schedules.ts';
import { freePort } from '../support/ports.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { spawnServer } from './support/spawn-server.ts';
import { openTestDb, TEST_ENGINE } from './support/test-db.ts';
import { call, PASSWORD, signIn, type Session } from './support/world.ts';

const DEMO_USERNAMES = DEMO_USERS.map((u) => u.username);

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

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
    expect(await seedDemo(db)).toEqual({ outcome: 'created', users: [], history: null });
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
    expect((await seedDemo(db)).outcome).toBe('created');
    expect(await seedDemo(db)).toEqual({ outcome: 'none' });
    const [count] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM units');
    expect(count?.n).toBe(6);

    const other = await openTestDb();
    try {
      await migrate(other);
      await other.query('INSERT INTO establishments (id, name) VALUES ($1, $2)', [newId(), 'HMP Real']);
      expect(await seedDemo(other, { usersPassword: PASSWORD })).toEqual({ outcome: 'none' });
      const rows = await other.query<{ name: string }>('SELECT name FROM establishments');
      expect(rows.map((r) => r.name)).toEqual(['HMP Real']);
      expect(await other.query('SELECT 1 FROM users')).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it('in production (no password) makes neither demo users nor history, even when asked for history', async () => {
    const blobDir = await mkdtemp(path.join(tmpdir(), 'wingcheck-demo-blobs-'));
    try {
      const seed = await seedDemo(db, { history: { blobs: new DirectoryBlobStore(blobDir), now: new Date() } });
      expect(seed).toEqual({ outcome: 'created', users: [], history: null });
      const [counts] = await db.query<{ users: number; checks: number; reviews: number; changes: number }>(
        `SELECT (SELECT count(*)::int FROM users) AS users, (SELECT count(*)::int FROM checks) AS checks,
                (SELECT count(*)::int FROM reviews) AS reviews, (SELECT count(*)::int FROM changes) AS changes`,
      );
      expect(counts).toEqual({ users: 0, checks: 0, reviews: 0, changes: 0 });
    } finally {
      await rm(blobDir, { recursive: true, force: true });
    }
  });

  it('gives a demo made without users its demo users on a later start with a password, once', async () => {
    await seedDemo(db);
    // Without a password (production) it stays as it is.
    expect(await seedDemo(db)).toEqual({ outcome: 'none' });
    expect(await seedDemo(db, { usersPassword: PASSWORD })).toEqual({ outcome: 'mended', users: DEMO_USERNAMES });
    const people = await db.query<{ username: string; role: string; units: string[] }>(
      `SELECT u.username, m.role, ARRAY(SELECT n.name FROM user_units uu JOIN units n ON n.id = uu.unit_id WHERE uu.user_id = u.id ORDER BY n.name) AS units
       FROM users u JOIN memberships m ON m.user_id = u.id ORDER BY u.username`,
    );
    expect(people).toEqual(
      [...DEMO_USERS]
        .sort((a, b) => a.username.localeCompare(b.username))
        .map((u) => ({ username: u.username, role: u.role, units: u.username === 'so.demo' ? ['A Wing', 'B Wing'] : [] })),
    );
    // As a first start would have: the Duty Governor round's actions are the duty governor's.
    const assigned = await db.query<{ username: string }>(
      `SELECT DISTINCT u.username FROM schedule_actions sa JOIN schedules s ON s.id = sa.schedule_id JOIN templates t ON t.id = s.template_id
       JOIN actions a ON a.id = sa.action_id JOIN users u ON u.id = a.assignee_id WHERE t.key = 'duty-governor-round'`,
    );
    expect(assigned).toEqual([{ username: 'dg.demo' }]);
    expect(await seedDemo(db, { usersPassword: PASSWORD })).toEqual({ outcome: 'none' });
  });

  it('mends only HMP Demo alone with nobody in it, and never when a demo username is taken', async () => {
    await seedDemo(db);
    const [demo] = await db.query<{ id: string }>('SELECT id FROM establishments');
    const anotherId = newId();
    await db.query("INSERT INTO establishments (id, name) VALUES ($1, 'HMP Real')", [anotherId]);
    expect(await seedDemo(db, { usersPassword: PASSWORD })).toEqual({ outcome: 'none' });
    await db.query('DELETE FROM establishments WHERE id = $1', [anotherId]);

    const someone = newId();
    await db.query("INSERT INTO users (id, username, display_name, password_hash) VALUES ($1, 'real.person', 'Real Person', 'x')", [someone]);
    await db.query("INSERT INTO memberships (user_id, establishment_id, role) VALUES ($1, $2, 'admin')", [someone, demo?.id ?? '']);
    expect(await seedDemo(db, { usersPassword: PASSWORD })).toEqual({ outcome: 'none' });
    await db.query('DELETE FROM memberships WHERE user_id = $1', [someone]);

    await db.query("UPDATE users SET username = 'hor.demo' WHERE id = $1", [someone]);
    expect(await seedDemo(db, { usersPassword: PASSWORD })).toEqual({ outcome: 'none' });
    expect(await db.query('SELECT username FROM users')).toEqual([{ username: 'hor.demo' }]);
  });
});

describe(`the demo's six weeks of history on ${TEST_ENGINE}`, () => {
  let t: TestApp;
  let blobDir: string;
  let blobs: DirectoryBlobStore;
  let seed: DemoSeed;
  let hor: Session;
  let establishmentId: string;
  /** The start day (the test clock's) and the history's first and last days, in the establishment's time zone. */
  let today: string;
  let first: string;
  let yesterday: string;
  const checks: {
    id: string;
    kind: 'check' | 'note';
    key: string | null;
    unit: string | null;
    author: string;
    schedule_id: string | null;
    due_on: string | null;
    submitted_on: string;
    received_on: string;
    answers: { itemId: string; value: unknown; note?: string }[];
    photos: number;
    actions: number;
    supersedes: string | null;
  }[] = [];

  beforeAll(async () => {
    blobDir = await mkdtemp(path.join(tmpdir(), 'wingcheck-demo-blobs-'));
    blobs = new DirectoryBlobStore(blobDir);
    t = await startTestApp({ blobs });
    seed = await seedDemo(t.db, { usersPassword: PASSWORD, history: { blobs, now: t.clock.now() } });
    const [demo] = await t.db.query<{ id: string }>('SELECT id FROM establishments');
    establishmentId = demo?.id ?? '';
    today = localDateOf(t.clock.now(), 'Europe/London');
    first = addDays(today, -HISTORY_DAYS);
    yesterday = addDays(today, -1);
    checks.push(
      ...(await t.db.query<(typeof checks)[number]>(
        `SELECT c.id, c.kind, t.key, n.name AS unit, u.username AS author, c.schedule_id, to_char(c.due_on, 'YYYY-MM-DD') AS due_on,
                to_char(c.submitted_at AT TIME ZONE 'Europe/London', 'YYYY-MM-DD') AS submitted_on,
                to_char(c.received_at AT TIME ZONE 'Europe/London', 'YYYY-MM-DD') AS received_on, c.answers,
                (SELECT count(*)::int FROM check_photos p WHERE p.check_id = c.id) AS photos,
                (SELECT count(*)::int FROM check_actions ca WHERE ca.check_id = c.id) AS actions, c.supersedes
         FROM checks c JOIN users u ON u.id = c.author_id LEFT JOIN units n ON n.id = c.unit_id
         LEFT JOIN template_versions v ON v.id = c.template_version_id LEFT JOIN templates t ON t.id = v.template_id`,
      )),
    );
    hor = await signIn(t.app, 'hor.demo');
  }, 180_000);
  afterAll(async () => {
    await t.close();
    await rm(blobDir, { recursive: true, force: true });
  });

  const scheduled = () => checks.filter((c) => c.kind === 'check' && c.schedule_id !== null);

  it('says what it made, and made that', async () => {
    expect(seed.outcome).toBe('created');
    if (seed.outcome !== 'created' || !seed.history) throw new Error('no history');
    expect(seed.users).toEqual(DEMO_USERNAMES);
    const [reviews] = await t.db.query<{ accepted: number; returned: number; statuses: number }>(
      `SELECT count(*) FILTER (WHERE decision = 'accepted')::int AS accepted, count(*) FILTER (WHERE decision = 'returned')::int AS returned,
              (SELECT count(*)::int FROM audit_log WHERE action = 'action.set-status') AS statuses FROM reviews`,
    );
    expect(seed.history).toEqual({
      from: first,
      to: yesterday,
      checks: checks.filter((c) => c.kind === 'check').length,
      notes: checks.filter((c) => c.kind === 'note').length,
      accepted: reviews?.accepted,
      returned: reviews?.returned,
      statusChanges: reviews?.statuses,
    });
  });

  it('covers the six weeks ending yesterday, with nothing today', async () => {
    const days = [...new Set(scheduled().map((c) => c.due_on ?? ''))].sort();
    expect(days[0]).toBe(first);
    expect(days.at(-1)).toBe(yesterday);
    expect(days).toHaveLength(HISTORY_DAYS);
    // Today's work is still to do, and nothing was recorded, received or decided today.
    expect(checks.filter((c) => c.submitted_on >= today || c.received_on >= today || (c.due_on ?? '') >= today)).toEqual([]);
    // The test clock's day is in November: London's midnight is UTC's. Signing in (below) is audited today, the history is not.
    const [after] = await t.db.query<{ n: number }>(
      `SELECT ((SELECT count(*) FROM reviews WHERE reviewed_at >= $1) + (SELECT count(*) FROM changes WHERE at >= $1)
            + (SELECT count(*) FROM audit_log WHERE at >= $1 AND action NOT LIKE 'session.%'))::int AS n`,
      [new Date(`${today}T00:00:00Z`)],
    );
    expect(Number(after?.n)).toBe(0);
  });

  it('is the work of the right people, and keeps the four demo users as they are', async () => {
    const byUnit = (key: string) => new Map(scheduled().filter((c) => c.key === key).map((c) => [c.unit, c.author]));
    for (const key of ['daily-servery-check', 'daily-unit-cleaning', 'weekly-unit-cleaning', 'weekly-food-comments-review']) {
      const authors = byUnit(key);
      expect(authors.get('A Wing'), key).toBe('so.demo');
      expect(authors.get('B Wing'), key).toBe('so.demo');
      expect(authors.get('C Wing'), key).not.toBe('so.demo');
    }
    expect(new Set(scheduled().filter((c) => c.key === 'duty-governor-round').map((c) => c.author))).toEqual(new Set(['dg.demo']));
    expect(new Set(scheduled().filter((c) => c.key === 'monthly-keywork-quality').map((c) => c.author))).toEqual(new Set(['hor.demo']));
    const people = await t.db.query<{ username: string; role: string }>(
      'SELECT u.username, m.role FROM users u JOIN memberships m ON m.user_id = u.id ORDER BY u.username',
    );
    expect(people.filter((p) => DEMO_USERNAMES.includes(p.username))).toEqual(
      [...DEMO_USERS].sort((a, b) => a.username.localeCompare(b.username)).map((u) => ({ username: u.username, role: u.role })),
    );
    // The other units' managers are in the history but cannot sign in.
    const others = people.filter((p) => !DEMO_USERNAMES.includes(p.username)).map((p) => p.username);
    expect(others.sort()).toEqual(DEMO_STAFF.map((s) => s.username).sort());
    for (const staff of DEMO_STAFF) {
      expect((await t.app.inject({ method: 'POST', url: '/api/session', payload: { username: staff.username, password: PASSWORD } })).statusCode).toBe(401);
    }
  });

  it('is mostly on time, with some late checks and some missed unit-days, more on some units than others', () => {
    const onSchedule = scheduled().filter((c) => c.supersedes === null);
    const late = onSchedule.filter((c) => c.submitted_on > (c.due_on ?? ''));
    expect(late.length).toBeGreaterThan(5);
    expect(late.length).toBeLessThan(onSchedule.length / 5);
    // Every unit has a daily cleaning check due every day: the missed ones are the days without one.
    const missed = new Map<string, number>();
    for (const unit of ['A Wing', 'B Wing', 'C Wing', 'D Wing', 'Care and Separation Unit', 'Induction Unit']) {
      const done = new Set(onSchedule.filter((c) => c.key === 'daily-unit-cleaning' && c.unit === unit).map((c) => c.due_on));
      missed.set(unit, HISTORY_DAYS - done.size);
    }
    const counts = [...missed.values()];
    expect(counts.reduce((a, b) => a + b, 0)).toBeGreaterThan(5);
    expect(Math.max(...counts)).toBeGreaterThan(Math.min(...counts));
    expect(counts.reduce((a, b) => a + b, 0)).toBeLessThan((HISTORY_DAYS * 6) / 5);
  });

  it('has a few failures, each with a note, some with photos: a cold servery reading, a failed cleaning item', () => {
    const note = (c: (typeof checks)[number], itemId: string) => c.answers.find((a) => a.itemId === itemId);
    const cold = checks.filter((c) => c.key === 'daily-servery-check' && Number(note(c, 'temp-collection')?.value) < 63);
    expect(cold.length).toBeGreaterThan(0);
    for (const c of cold) expect(note(c, 'temp-collection')?.note).toBeTruthy();
    expect(cold.some((c) => c.photos > 0)).toBe(true);
    const failedCleaning = checks.filter((c) => c.key === 'daily-unit-cleaning' && c.answers.some((a) => a.value === 'fail'));
    expect(failedCleaning.length).toBeGreaterThan(0);
    for (const c of failedCleaning) for (const a of c.answers.filter((x) => x.value === 'fail')) expect(a.note).toBeTruthy();
    expect(failedCleaning.some((c) => c.photos > 0)).toBe(true);
    const withFailures = checks.filter((c) => c.answers.some((a) => a.note));
    expect(withFailures.length).toBeLessThan(checks.length / 4);
  });

  it('links checks to the actions their schedule proves, and has ad hoc checks and notes against actions', () => {
    for (const round of scheduled().filter((c) => c.key === 'duty-governor-round')) expect(round.actions).toBe(3);
    for (const servery of scheduled().filter((c) => c.key === 'daily-servery-check')) expect(servery.actions).toBe(0);
    expect(checks.filter((c) => c.kind === 'check' && c.schedule_id === null).length).toBeGreaterThanOrEqual(2);
    const notes = checks.filter((c) => c.kind === 'note');
    expect(notes.length).toBeGreaterThanOrEqual(5);
    for (const n of notes) expect(n.actions).toBeGreaterThan(0);
    expect(notes.some((n) => n.photos > 0)).toBe(true);
  });

  it('has reviews: several accepted, and one returned with a reason, then corrected and accepted', async () => {
    const reviews = await t.db.query<{ check_id: string; decision: string; reason: string | null; reviewer: string }>(
      'SELECT r.check_id, r.decision, r.reason, u.username AS reviewer FROM reviews r JOIN users u ON u.id = r.reviewer_id',
    );
    expect(new Set(reviews.map((r) => r.reviewer))).toEqual(new Set(['hor.demo']));
    expect(reviews.filter((r) => r.decision === 'accepted').length).toBeGreaterThanOrEqual(5);
    const returned = reviews.filter((r) => r.decision === 'returned');
    expect(returned).toHaveLength(1);
    expect(returned[0]?.reason).toBeTruthy();
    const correction = checks.find((c) => c.supersedes === returned[0]?.check_id);
    expect(correction).toBeDefined();
    expect(reviews.find((r) => r.check_id === correction?.id)?.decision).toBe('accepted');
  });

  it('has moved action statuses: in progress, evidence submitted, and one complete on accepted evidence', async () => {
    const moves = await t.db.query<{ entity_id: string; details: { from: string; to: string; reason: string | null } }>(
      "SELECT entity_id, details FROM audit_log WHERE action = 'action.set-status' ORDER BY seq",
    );
    const to = new Set(moves.map((m) => m.details.to));
    expect(to).toEqual(new Set(['in-progress', 'evidence-submitted', 'complete']));
    const completed = moves.filter((m) => m.details.to === 'complete');
    expect(completed).toHaveLength(1);
    expect(completed[0]?.details.reason).toBeNull();
    const [accepted] = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM check_actions ca JOIN reviews r ON r.check_id = ca.check_id
       WHERE ca.action_id = $1 AND r.decision = 'accepted'`,
      [completed[0]?.entity_id ?? ''],
    );
    expect(accepted?.n).toBeGreaterThan(0);
    const statuses = await t.db.query<{ status: string }>('SELECT status FROM actions WHERE id = ANY($1::uuid[])', [moves.map((m) => m.entity_id)]);
    expect(new Set(statuses.map((s) => s.status))).toEqual(new Set(['in-progress', 'evidence-submitted', 'complete']));
  });

  it('shows done, late, failed, missed and explained cells in coverage of the last four weeks', async () => {
    const res = await call(t.app, hor, 'GET', `/api/coverage?from=${addDays(today, -27)}&to=${today}`);
    expect(res.statusCode, res.body).toBe(200);
    const coverage = CoverageResponse.parse(res.json());
    const states = new Set(coverage.schedules.flatMap((s) => s.units.flatMap((u) => decodeCells(u.cells).map((c) => c.state))));
    for (const state of ['done', 'late', 'failed', 'missed', 'explained'] as const) expect(states, state).toContain(state);
    // D Wing's lockdown: both its daily checks of that day explained and accepted, counted apart from missed.
    const dWing = coverage.schedules.flatMap((s) => s.units.filter((u) => u.name === 'D Wing').map((u) => ({ s, u })));
    const explainedDays = dWing.filter(({ u }) => decodeCells(u.cells)[27 - 4]?.state === 'explained');
    expect(explainedDays.map(({ s }) => s.templateTitle).sort()).toHaveLength(2);
    for (const { u } of explainedDays) {
      expect(u.summary.explained).toBeGreaterThanOrEqual(1);
      expect(u.explanations).toContainEqual(expect.objectContaining({ day: addDays(today, -4), status: 'accepted' }));
      expect(u.summary.percentUnexplained).toBeGreaterThanOrEqual(u.summary.percent ?? 0);
    }
    const daily = coverage.schedules.filter((s) => s.frequency.every === 'day');
    for (const schedule of daily) {
      // Mostly recorded; today is still to do.
      expect(schedule.summary.percent ?? 0, schedule.templateTitle).toBeGreaterThan(70);
      for (const unit of schedule.units) expect(decodeCells(unit.cells).at(-1)?.state).toBe('due');
    }
  });

  it('keeps the audit chain whole, written in the order things happened', async () => {
    const admin = await signIn(t.app, 'admin.demo');
    expect((await call(t.app, admin, 'GET', '/api/audit/verify')).json()).toMatchObject({ ok: true });
    const rows = await t.db.query<{ at: Date }>('SELECT at FROM audit_log WHERE establishment_id = $1 ORDER BY seq', [establishmentId]);
    const times = rows.map((r) => r.at.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('reaches tablets: a pull from the start brings every check, note and review', async () => {
    const so = await signIn(t.app, 'so.demo');
    const pulled: PullResponse['changes'] = [];
    let cursor = '0';
    for (;;) {
      const page = PullResponse.parse((await call(t.app, so, 'GET', `/api/sync/pull?cursor=${cursor}&limit=1000`)).json());
      pulled.push(...page.changes);
      cursor = page.cursor;
      if (!page.hasMore) break;
    }
    expect(pulled.filter((c) => c.entity === 'check').map((c) => c.id).sort()).toEqual(checks.map((c) => c.id).sort());
    const [reviews] = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM reviews');
    expect(pulled.filter((c) => c.entity === 'review')).toHaveLength(reviews?.n ?? -1);
  });

  it('stores its photos as an upload does: in the blob store, served to the establishment', async () => {
    const photos = await t.db.query<{ sha256: string; mime: string; uploader: string }>(
      'SELECT p.sha256, p.mime, u.username AS uploader FROM photos p JOIN users u ON u.id = p.uploaded_by',
    );
    expect(photos.length).toBeGreaterThanOrEqual(2);
    const [named] = await t.db.query<{ n: number }>('SELECT count(DISTINCT sha256)::int AS n FROM check_photos');
    expect(named?.n).toBe(photos.length);
    for (const photo of photos) {
      expect(photo.mime).toBe('image/jpeg');
      expect(await blobs.has(photo.sha256)).toBe(true);
      const res = await call(t.app, hor, 'GET', `/api/blobs/${photo.sha256}`);
      expect(res.statusCode).toBe(200);
      expect(res.rawPayload.length).toBeLessThanOrEqual(60 * 1024);
    }
  });

  it('does nothing when seeded again', async () => {
    const count = async () => (await t.db.query<{ n: number }>('SELECT (SELECT count(*) FROM checks) + (SELECT count(*) FROM users)::int AS n'))[0]?.n;
    const before = await count();
    expect(await seedDemo(t.db, { usersPassword: PASSWORD, history: { blobs, now: t.clock.now() } })).toEqual({ outcome: 'none' });
    expect(await count()).toBe(before);
  });
});

// The start-up itself (server/src/index.ts), as npm start runs it: only the embedded database is seeded,
// so this belongs to the pglite project alone (defined only there, rather than reported skipped elsewhere).
if (TEST_ENGINE === 'pglite') describe('a start in production, then one without NODE_ENV, on the same data', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'wingcheck-demo-start-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  async function start(env: Record<string, string>, check: (stdout: string, url: string) => Promise<void>): Promise<void> {
    const port = await freePort();
    const run = spawnServer({ PORT: String(port), WINGCHECK_DATA_DIR: dataDir, ...env });
    try {
      expect(await run.ready, run.stderr()).toEqual({ running: true, code: null });
      await check(run.stdout(), `http://127.0.0.1:${port}`);
    } finally {
      await run.stop();
    }
  }
  const signInStatus = async (url: string, username: string, password: string) =>
    (await fetch(`${url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) })).status;

  it('makes no demo users in production, and says so; the next start without it gives the demo its users, and says so', { timeout: 240_000 }, async () => {
    const password = 'a demo password for this test';
    await start({ NODE_ENV: 'production', WINGCHECK_DEMO_PASSWORD: password }, async (stdout, url) => {
      expect(stdout).toContain(`demo establishment ${DEMO_ESTABLISHMENT} created without demo users (NODE_ENV=production)`);
      expect(stdout).not.toContain('demo data created');
      expect(stdout).not.toContain('have the password');
      expect(await signInStatus(url, 'hor.demo', password)).toBe(401);
    });
    await start({ WINGCHECK_DEMO_PASSWORD: password }, async (stdout, url) => {
      expect(stdout).toContain(`demo users ${DEMO_USERNAMES.join(', ')} created for ${DEMO_ESTABLISHMENT}, which had none`);
      for (const username of DEMO_USERNAMES) expect(await signInStatus(url, username, password)).toBe(200);
    });
    await start({ WINGCHECK_DEMO_PASSWORD: password }, (stdout) => {
      expect(stdout).not.toMatch(/demo (data|users|establishment)/);
      return Promise.resolve();
    });
  });
});
