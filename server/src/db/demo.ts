import { readFileSync } from 'node:fs';
import type { PerformedBy } from '../../../src/shared/api/capture.ts';
import type { Role } from '../../../src/shared/auth.ts';
import { addDays } from '../../../src/shared/cycles.ts';
import { newId } from '../../../src/shared/ids.ts';
import { parsePlanText } from '../../../src/shared/plan-import/parse.ts';
import type { ParsedPlan } from '../../../src/shared/plan-import/schema.ts';
import { localDateOf, type Frequency } from '../../../src/shared/schedules.ts';
import { decoyHash, hashPassword } from '../auth/passwords.ts';
import type { BlobStore } from '../blobs.ts';
import { insertPlan } from '../services/plans.ts';
import { insertSchedule } from '../services/schedules.ts';
import { ensureBuiltinTemplates } from '../services/templates.ts';
import type { Db, Queryable } from './client.ts';
import { HISTORY_DAYS, seedDemoHistory, UNIT_MANAGER_OF, type DemoHistorySummary } from './demo-history.ts';

export const DEMO_ESTABLISHMENT = 'HMP Demo';

/** When the demo's units and schedules came into use, for a demo without history (one with history starts with it). */
const DEMO_SINCE = '2025-09-01';

const DEMO_TIME_ZONE = 'Europe/London';

const DEMO_UNITS: readonly { name: string; landings: readonly string[] }[] = [
  { name: 'A Wing', landings: ['1s', '2s', '3s'] },
  { name: 'B Wing', landings: ['1s', '2s', '3s'] },
  { name: 'C Wing', landings: ['1s', '2s', '3s', '4s'] },
  { name: 'D Wing', landings: ['1s', '2s'] },
  { name: 'Care and Separation Unit', landings: ['Ground'] },
  { name: 'Induction Unit', landings: ['1s', '2s'] },
];

/** The demo's people, one per role: the names other tools and tests sign in with. */
export const DEMO_USERS: readonly { username: string; displayName: string; jobTitle: string; role: Role }[] = [
  { username: 'admin.demo', displayName: 'Alex Admin (demo)', jobTitle: 'Governor', role: 'admin' },
  { username: 'hor.demo', displayName: 'Harper Residence (demo)', jobTitle: 'Head of Residence', role: 'head-of-residence' },
  { username: 'dg.demo', displayName: 'Dana Governor (demo)', jobTitle: 'Duty Governor', role: 'duty-governor' },
  { username: 'so.demo', displayName: 'Sam Officer (demo)', jobTitle: 'Supervising Officer', role: 'unit-manager' },
];

/**
 * The unit managers of the other units, made only with the history (whose checks on those units are
 * theirs). Nobody can sign in as them: their password hash is of a secret nobody knows, a real scrypt
 * hash so that trying costs the same as for anyone else. An admin may give them a password.
 */
export const DEMO_STAFF: readonly { username: string; displayName: string; jobTitle: string; role: Role }[] = [
  { username: 'kai.patel.demo', displayName: 'Kai Patel (demo)', jobTitle: 'Supervising Officer', role: 'unit-manager' },
  { username: 'morgan.lee.demo', displayName: 'Morgan Lee (demo)', jobTitle: 'Custodial Manager', role: 'unit-manager' },
];

// The demo's plan is a real published one, read by the same importer admins use.
const DEMO_PLAN_FILE = new URL('../../../fixtures/action-plans/werrington-2025-action-plan.txt', import.meta.url);

function demoPlan(): ParsedPlan {
  return parsePlanText(readFileSync(DEMO_PLAN_FILE, 'utf8'), 'werrington-2025-action-plan.txt');
}

/**
 * The recurring checks of the demo, linked to the Werrington actions they help prove, and run by
 * the people those checks belong to. Actions are found by the start of their published text.
 */
const DEMO_SCHEDULES: readonly {
  template: string;
  frequency: Frequency;
  performedBy: PerformedBy;
  units: 'all' | 'residential';
  proves: readonly string[];
}[] = [
  { template: 'daily-servery-check', frequency: { every: 'day' }, performedBy: 'unit-manager', units: 'residential', proves: [] },
  { template: 'daily-unit-cleaning', frequency: { every: 'day' }, performedBy: 'unit-manager', units: 'all', proves: [] },
  { template: 'weekly-unit-cleaning', frequency: { every: 'week', weekday: 1 }, performedBy: 'unit-manager', units: 'all', proves: [] },
  {
    template: 'duty-governor-round',
    frequency: { every: 'day' },
    performedBy: 'duty-governor',
    units: 'all',
    proves: [
      'The Head of Residence will introduce, as part of handovers and briefings',
      'Utilising the increased regime monitoring tool',
      'Ensuring improved oversight of all children who are self-isolating',
    ],
  },
  { template: 'weekly-food-comments-review', frequency: { every: 'week', weekday: 5 }, performedBy: 'unit-manager', units: 'residential', proves: [] },
  {
    template: 'monthly-keywork-quality',
    frequency: { every: 'month', day: 1 },
    performedBy: 'head-of-residence',
    units: 'residential',
    proves: ['Monitoring and evaluating the impact of \'Welfare Checks\' on child-staff relationships'],
  },
];

async function seedDemoSchedules(tx: Queryable, establishmentId: string, planId: string, since: string): Promise<void> {
  const units = await tx.query<{ id: string; name: string }>('SELECT id, name FROM units WHERE establishment_id = $1 ORDER BY name', [
    establishmentId,
  ]);
  const residential = units.filter((u) => u.name.endsWith('Wing'));
  const templates = await tx.query<{ id: string; key: string }>('SELECT id, key FROM templates WHERE establishment_id = $1', [establishmentId]);
  const actions = await tx.query<{ id: string; text: string }>(
    'SELECT a.id, a.text FROM actions a JOIN recommendations r ON r.id = a.recommendation_id WHERE r.plan_id = $1 ORDER BY r.position, a.position',
    [planId],
  );
  for (const schedule of DEMO_SCHEDULES) {
    const templateId = templates.find((t) => t.key === schedule.template)?.id;
    if (!templateId) throw new Error(`demo: no built-in template ${schedule.template}`);
    const actionIds = schedule.proves.map((start) => {
      const action = actions.find((a) => a.text.startsWith(start));
      if (!action) throw new Error(`demo: no action starting "${start}"`);
      return action.id;
    });
    await insertSchedule(tx, establishmentId, newId(), {
      templateId,
      frequency: schedule.frequency,
      performedBy: schedule.performedBy,
      unitIds: (schedule.units === 'all' ? units : residential).map((u) => u.id),
      actionIds,
      startsOn: since,
    });
  }
}

const PERFORMER: Readonly<Record<PerformedBy, string>> = { 'head-of-residence': 'hor.demo', 'duty-governor': 'dg.demo', 'unit-manager': 'so.demo' };

/**
 * Gives the demo's people (those the establishment has) their work: whoever runs a schedule's check
 * is assigned the actions it proves, where nobody is yet; unit managers look after their units
 * (so.demo A Wing and B Wing, the history's staff the others; dg.demo and hor.demo, with none, work
 * across all of them).
 */
async function assignDemoPeople(tx: Queryable, establishmentId: string): Promise<void> {
  const people = await tx.query<{ id: string; username: string }>(
    'SELECT u.id, u.username FROM users u JOIN memberships m ON m.user_id = u.id WHERE m.establishment_id = $1',
    [establishmentId],
  );
  const userId = (name: string) => people.find((u) => u.username === name)?.id ?? null;
  const schedules = await tx.query<{ performed_by: PerformedBy; action_ids: string[] }>(
    `SELECT s.performed_by, ARRAY(SELECT sa.action_id FROM schedule_actions sa WHERE sa.schedule_id = s.id) AS action_ids
     FROM schedules s WHERE s.establishment_id = $1`,
    [establishmentId],
  );
  for (const schedule of schedules) {
    const assignee = userId(PERFORMER[schedule.performed_by]);
    if (assignee && schedule.action_ids.length > 0) {
      await tx.query('UPDATE actions SET assignee_id = $2 WHERE id = ANY($1::uuid[]) AND assignee_id IS NULL', [schedule.action_ids, assignee]);
    }
  }
  const units = await tx.query<{ id: string; name: string }>('SELECT id, name FROM units WHERE establishment_id = $1', [establishmentId]);
  for (const unit of units) {
    const manager = userId(UNIT_MANAGER_OF[unit.name] ?? '');
    if (manager) await tx.query('INSERT INTO user_units (user_id, unit_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [manager, unit.id]);
  }
}

export interface SeedDemoOptions {
  /** The demo users' password. Without it (npm start in production) no users are made, and no history. */
  usersPassword?: string;
  /**
   * Also make six weeks of history ending the day before `now` (checks, notes, reviews, status
   * changes), with its photos in `blobs`: on a first start with users only.
   */
  history?: { blobs: BlobStore; now: Date };
}

/** What seedDemo did, for the start-up line to say exactly that. */
export type DemoSeed
  = | { outcome: 'none' }
    /** A new demo; `users` are the demo users made (none in production), `history` null when none was made. */
    | { outcome: 'created'; users: readonly string[]; history: DemoHistorySummary | null }
    /** The demo users added to a demo that had none (made in production, or by an old npm start that thought it was). */
    | { outcome: 'mended'; users: readonly string[] };

type DemoState = { kind: 'empty' } | { kind: 'without-users'; establishmentId: string } | { kind: 'other' };

/**
 * Empty; or holding only HMP Demo, with nobody in it and none of the demo usernames taken: a demo made
 * without users, which is safe to give them (there is no one else's data to expose, and no account
 * to clash with); or anything else, which the demo never touches.
 */
async function demoState(db: Queryable): Promise<DemoState> {
  const establishments = await db.query<{ id: string; name: string; members: number }>(
    `SELECT e.id, e.name, (SELECT count(*)::int FROM memberships m WHERE m.establishment_id = e.id) AS members
     FROM establishments e LIMIT 2`,
  );
  const [only, another] = establishments;
  if (!only) return { kind: 'empty' };
  if (another || only.name !== DEMO_ESTABLISHMENT || only.members > 0) return { kind: 'other' };
  const taken = await db.query('SELECT 1 FROM users WHERE username = ANY($1::text[]) LIMIT 1', [DEMO_USERS.map((u) => u.username)]);
  return taken.length > 0 ? { kind: 'other' } : { kind: 'without-users', establishmentId: only.id };
}

async function insertPeople(
  tx: Queryable,
  establishmentId: string,
  people: readonly { username: string; displayName: string; jobTitle: string; role: Role }[],
  passwordHash: string,
): Promise<void> {
  for (const person of people) {
    const userId = newId();
    await tx.query('INSERT INTO users (id, username, display_name, job_title, password_hash) VALUES ($1, $2, $3, $4, $5)', [
      userId,
      person.username,
      person.displayName,
      person.jobTitle,
      passwordHash,
    ]);
    await tx.query('INSERT INTO memberships (user_id, establishment_id, role) VALUES ($1, $2, $3)', [userId, establishmentId, person.role]);
  }
}

/**
 * Gives a new embedded database something to look at: HMP Demo, six units with landings, the
 * HMYOI Werrington 2025 action plan, its schedules and, given a password, the demo users (and, with
 * `history`, six weeks of their work). Never touches a database holding anything else, so it never
 * touches real data; the one change it makes to a database that is not empty is to give a demo made
 * without users (only HMP Demo, nobody in it) its demo users, when given a password.
 */
export async function seedDemo(db: Db, options: SeedDemoOptions = {}): Promise<DemoSeed> {
  const state = await demoState(db);
  if (state.kind === 'other' || (state.kind === 'without-users' && options.usersPassword === undefined)) return { outcome: 'none' };
  // Hashing is slow on purpose: do it before the transaction, not inside it.
  const passwordHash = options.usersPassword === undefined ? null : await hashPassword(options.usersPassword);
  const usernames = DEMO_USERS.map((u) => u.username);

  if (state.kind === 'without-users') {
    if (!passwordHash) return { outcome: 'none' };
    const mended = await db.transaction(async (tx) => {
      // Checked again inside the transaction: nothing may have changed since, or nothing is done.
      const current = await demoState(tx);
      if (current.kind !== 'without-users' || current.establishmentId !== state.establishmentId) return false;
      await insertPeople(tx, state.establishmentId, DEMO_USERS, passwordHash);
      await assignDemoPeople(tx, state.establishmentId);
      return true;
    });
    return mended ? { outcome: 'mended', users: usernames } : { outcome: 'none' };
  }

  const plan = demoPlan();
  const history = passwordHash ? options.history : undefined;
  // With history, the units and schedules came into use when it starts, so coverage counts from there.
  const since = history ? addDays(localDateOf(history.now, DEMO_TIME_ZONE), -HISTORY_DAYS) : DEMO_SINCE;
  const staffHash = history ? await decoyHash : null;
  // One transaction for all of it, history included: a first start makes the whole demo or none of
  // it (and tries again on the next start), and one commit is quicker than one per change.
  return db.transaction(async (tx): Promise<DemoSeed> => {
    if ((await demoState(tx)).kind !== 'empty') return { outcome: 'none' };
    const id = newId();
    await tx.query('INSERT INTO establishments (id, name, time_zone) VALUES ($1, $2, $3)', [id, DEMO_ESTABLISHMENT, DEMO_TIME_ZONE]);
    for (const unit of DEMO_UNITS) {
      // In use since the demo's schedules started, so coverage shows the days with no check as missed.
      await tx.query('INSERT INTO units (id, establishment_id, name, landings, created_at) VALUES ($1, $2, $3, $4, $5)', [
        newId(),
        id,
        unit.name,
        unit.landings,
        since,
      ]);
    }
    if (passwordHash) await insertPeople(tx, id, DEMO_USERS, passwordHash);
    if (staffHash) await insertPeople(tx, id, DEMO_STAFF, staffHash);
    const planId = await insertPlan(tx, id, plan, {
      title: `Action Plan: ${plan.establishment ?? 'HMYOI Werrington'} (demo copy)`,
      sourceFile: plan.source,
      submittedOn: '2025-08-12',
      publishedOn: '2025-07-28',
    });
    await ensureBuiltinTemplates(tx, id);
    await seedDemoSchedules(tx, id, planId, since);
    await assignDemoPeople(tx, id);
    const summary = history ? await seedDemoHistory(insideTransaction(tx, db.engine), { establishmentId: id, ...history }) : null;
    return { outcome: 'created', users: passwordHash ? usernames : [], history: summary };
  });
}

/**
 * An open transaction as a Db, for services that open their own (the sync service, reviews): theirs
 * become part of it. Whatever one of them throws rolls back the whole transaction, not just its part.
 */
function insideTransaction(tx: Queryable, engine: Db['engine']): Db {
  return {
    engine,
    query: (sql, params) => tx.query(sql, params),
    exec: (sql) => tx.exec(sql),
    transaction: (fn) => fn(tx),
    close: () => Promise.reject(new Error('the demo cannot close the database it is seeding')),
  };
}
