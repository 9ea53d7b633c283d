import { readFileSync } from 'node:fs';
import type { PerformedBy } from '../../../src/shared/api/capture.ts';
import type { Role } from '../../../src/shared/auth.ts';
import { newId } from '../../../src/shared/ids.ts';
import { parsePlanText } from '../../../src/shared/plan-import/parse.ts';
import type { ParsedPlan } from '../../../src/shared/plan-import/schema.ts';
import type { Frequency } from '../../../src/shared/schedules.ts';
import { hashPassword } from '../auth/passwords.ts';
import { insertPlan } from '../services/plans.ts';
import { insertSchedule } from '../services/schedules.ts';
import { ensureBuiltinTemplates } from '../services/templates.ts';
import type { Db, Queryable } from './client.ts';

export const DEMO_ESTABLISHMENT = 'HMP Demo';

/** When the demo's units and schedules came into use. */
const DEMO_SINCE = '2025-09-01';

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

/** so.demo looks after these units; dg.demo and hor.demo work across all of them. */
const SO_DEMO_UNITS = ['A Wing', 'B Wing'];

async function seedDemoSchedules(tx: Queryable, establishmentId: string, planId: string): Promise<void> {
  const units = await tx.query<{ id: string; name: string }>('SELECT id, name FROM units WHERE establishment_id = $1 ORDER BY name', [
    establishmentId,
  ]);
  const residential = units.filter((u) => u.name.endsWith('Wing'));
  const templates = await tx.query<{ id: string; key: string }>('SELECT id, key FROM templates WHERE establishment_id = $1', [establishmentId]);
  const actions = await tx.query<{ id: string; text: string }>(
    'SELECT a.id, a.text FROM actions a JOIN recommendations r ON r.id = a.recommendation_id WHERE r.plan_id = $1 ORDER BY r.position, a.position',
    [planId],
  );
  const users = await tx.query<{ id: string; username: string }>('SELECT id, username FROM users');
  const userId = (name: string) => users.find((u) => u.username === name)?.id ?? null;
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
      startsOn: DEMO_SINCE,
    });
    // Whoever runs the check is the one to prove the actions it is linked to.
    const assignee = userId(schedule.performedBy === 'head-of-residence' ? 'hor.demo' : schedule.performedBy === 'duty-governor' ? 'dg.demo' : 'so.demo');
    if (assignee) await tx.query('UPDATE actions SET assignee_id = $2 WHERE id = ANY($1::uuid[])', [actionIds, assignee]);
  }
  const so = userId('so.demo');
  if (so) {
    for (const unit of units.filter((u) => SO_DEMO_UNITS.includes(u.name))) {
      await tx.query('INSERT INTO user_units (user_id, unit_id) VALUES ($1, $2)', [so, unit.id]);
    }
  }
}

async function isEmpty(db: Queryable): Promise<boolean> {
  const rows = await db.query<{ count: number }>('SELECT count(*)::int AS count FROM establishments');
  return rows[0]?.count === 0;
}

/**
 * Gives a new embedded database something to look at: HMP Demo, six units with landings, the
 * HMYOI Werrington 2025 action plan and, given a password, the demo users. Does nothing when any establishment exists, so it
 * never touches real data. Returns whether it created the demo.
 */
export async function seedDemo(db: Db, options: { usersPassword?: string } = {}): Promise<boolean> {
  // Hashing is slow on purpose: do it before the transaction, not inside it.
  const passwordHash = options.usersPassword === undefined ? null : await hashPassword(options.usersPassword);
  const plan = demoPlan();
  return db.transaction(async (tx) => {
    if (!(await isEmpty(tx))) return false;
    const establishmentId = newId();
    await tx.query('INSERT INTO establishments (id, name) VALUES ($1, $2)', [establishmentId, DEMO_ESTABLISHMENT]);
    for (const unit of DEMO_UNITS) {
      // In use since the demo's schedules started, so coverage shows the days with no check as missed.
      await tx.query('INSERT INTO units (id, establishment_id, name, landings, created_at) VALUES ($1, $2, $3, $4, $5)', [
        newId(),
        establishmentId,
        unit.name,
        unit.landings,
        DEMO_SINCE,
      ]);
    }
    if (passwordHash) {
      for (const user of DEMO_USERS) {
        const userId = newId();
        await tx.query('INSERT INTO users (id, username, display_name, job_title, password_hash) VALUES ($1, $2, $3, $4, $5)', [
          userId,
          user.username,
          user.displayName,
          user.jobTitle,
          passwordHash,
        ]);
        await tx.query('INSERT INTO memberships (user_id, establishment_id, role) VALUES ($1, $2, $3)', [userId, establishmentId, user.role]);
      }
    }
    const planId = await insertPlan(tx, establishmentId, plan, {
      title: `Action Plan: ${plan.establishment ?? 'HMYOI Werrington'} (demo copy)`,
      sourceFile: plan.source,
      submittedOn: '2025-08-12',
      publishedOn: '2025-07-28',
    });
    await ensureBuiltinTemplates(tx, establishmentId);
    await seedDemoSchedules(tx, establishmentId, planId);
    return true;
  });
}
