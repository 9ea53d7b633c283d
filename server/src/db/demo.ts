import { readFileSync } from 'node:fs';
import type { Role } from '../../../src/shared/auth.ts';
import { newId } from '../../../src/shared/ids.ts';
import { parsePlanText } from '../../../src/shared/plan-import/parse.ts';
import type { ParsedPlan } from '../../../src/shared/plan-import/schema.ts';
import { hashPassword } from '../auth/passwords.ts';
import { insertPlan } from '../services/plans.ts';
import type { Db, Queryable } from './client.ts';

export const DEMO_ESTABLISHMENT = 'HMP Demo';

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
      await tx.query('INSERT INTO units (id, establishment_id, name, landings) VALUES ($1, $2, $3, $4)', [
        newId(),
        establishmentId,
        unit.name,
        unit.landings,
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
    await insertPlan(tx, establishmentId, plan, {
      title: `Action Plan: ${plan.establishment ?? 'HMYOI Werrington'} (demo copy)`,
      sourceFile: plan.source,
      submittedOn: '2025-08-12',
      publishedOn: '2025-07-28',
    });
    return true;
  });
}
