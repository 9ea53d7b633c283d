import type { Role } from '../../../src/shared/auth.ts';
import { newId } from '../../../src/shared/ids.ts';
import { hashPassword } from '../auth/passwords.ts';
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
export const DEMO_USERS: readonly { username: string; displayName: string; role: Role }[] = [
  { username: 'admin.demo', displayName: 'Alex Admin (demo)', role: 'admin' },
  { username: 'hor.demo', displayName: 'Harper Residence (demo)', role: 'head-of-residence' },
  { username: 'dg.demo', displayName: 'Dana Governor (demo)', role: 'duty-governor' },
  { username: 'so.demo', displayName: 'Sam Officer (demo)', role: 'unit-manager' },
];

interface DemoAction {
  text: string;
  owner: string;
  target: string;
  due: string | null;
}

/**
 * A minimal excerpt of the published HMYOI Werrington 2025 action plan (priority concerns 1 and
 * 2), entered by hand. The plan importer replaces this with the whole published plan.
 */
const DEMO_PLAN = {
  title: 'Action Plan: HMYOI Werrington (excerpt, demo)',
  sourceFile: 'werrington-2025-action-plan.txt',
  submittedOn: '2025-08-12',
  publishedOn: '2025-07-28',
  recommendations: [
    {
      ref: '1',
      section: 'Priority concerns',
      concern:
        'Children were not motivated to behave well and engage in activities, including education, work or offending behaviour programmes. The incentives schemes were inconsistently applied, and rewards, including additional time out of cell, were rarely delivered.',
      actions: [
        {
          text: 'Reviewing and publishing the Incentives Policy (IP) scheme, informed by consultation with children, focusing on rewarding positive behaviour and engagement in activities.',
          owner: 'Governor',
          target: 'December 2025',
          due: '2025-12-31',
        },
        {
          text: 'The Head of Residence will introduce, as part of handovers and briefings, reminders of the expected standards of children and how to challenge poor behaviour and rule breaking.',
          owner: 'Governor',
          target: 'Complete',
          due: null,
        },
        {
          text: 'Reviewing the Pay Policy to incentivise engagement in Education, Skills and Work (ESW).',
          owner: 'Governor',
          target: 'October 2025',
          due: '2025-10-31',
        },
      ],
    },
    {
      ref: '2',
      section: 'Priority concerns',
      concern:
        'Children spent far too long locked in their cells. Some, often those who were most vulnerable or fearful, did not come out at all for days at a time.',
      actions: [
        { text: 'Reviewing staff profiles and the core day.', owner: 'Governor', target: 'Complete', due: null },
        {
          text: 'Increasing current staffing levels as part of the staff reprofiling, to improve consistent delivery of the new regime and increase the amount of time children can spend out of their rooms.',
          owner: 'Governor',
          target: 'April 2026',
          due: '2026-04-30',
        },
        {
          text: 'Implementing the new core day on completion of recruitment.',
          owner: 'Governor',
          target: 'April 2026',
          due: '2026-04-30',
        },
      ],
    },
  ] satisfies { ref: string; section: string; concern: string; actions: DemoAction[] }[],
};

async function isEmpty(db: Queryable): Promise<boolean> {
  const rows = await db.query<{ count: number }>('SELECT count(*)::int AS count FROM establishments');
  return rows[0]?.count === 0;
}

/**
 * Gives a new embedded database something to look at: HMP Demo, six units with landings, a small
 * plan and, given a password, the demo users. Does nothing when any establishment exists, so it
 * never touches real data. Returns whether it created the demo.
 */
export async function seedDemo(db: Db, options: { usersPassword?: string } = {}): Promise<boolean> {
  // Hashing is slow on purpose: do it before the transaction, not inside it.
  const passwordHash = options.usersPassword === undefined ? null : await hashPassword(options.usersPassword);
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
        await tx.query('INSERT INTO users (id, username, display_name, password_hash) VALUES ($1, $2, $3, $4)', [
          userId,
          user.username,
          user.displayName,
          passwordHash,
        ]);
        await tx.query('INSERT INTO memberships (user_id, establishment_id, role) VALUES ($1, $2, $3)', [userId, establishmentId, user.role]);
      }
    }
    const planId = newId();
    await tx.query(
      `INSERT INTO plans (id, establishment_id, title, source_file, submitted_on, published_on)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [planId, establishmentId, DEMO_PLAN.title, DEMO_PLAN.sourceFile, DEMO_PLAN.submittedOn, DEMO_PLAN.publishedOn],
    );
    for (const [position, rec] of DEMO_PLAN.recommendations.entries()) {
      const recommendationId = newId();
      await tx.query(
        `INSERT INTO recommendations (id, plan_id, ref, position, section, category, concern)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [recommendationId, planId, rec.ref, position, rec.section, rec.section, rec.concern],
      );
      for (const [actionPosition, action] of rec.actions.entries()) {
        await tx.query(
          `INSERT INTO actions (id, recommendation_id, position, text, owner, target, due, complete, status)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          [
            newId(),
            recommendationId,
            actionPosition,
            action.text,
            action.owner,
            action.target,
            action.due,
            action.target === 'Complete',
            action.target === 'Complete' ? 'complete' : 'not-started',
          ],
        );
      }
    }
    return true;
  });
}
