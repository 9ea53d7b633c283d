/**
 * The plan overview at scale: a plan of 100 concerns × 5 actions (500 actions) and 50,000 scheduled
 * checks over a year on 40 units, each proving one action and one in ten a second (check_actions),
 * one in ten reviewed (some returned, some of those accepted later), inserted with bulk SQL. Then
 * GET /api/plans/:id/overview through the real app (buildApp + inject, signed in as the head of
 * residence), on the embedded PGlite and on a throwaway PostgreSQL cluster.
 * Run: npm run bench:overview
 */
import type { Db } from '../server/src/db/client.ts';
import { PlanOverview } from '../src/shared/api/review.ts';
import { addDays } from '../src/shared/coverage.ts';
import { newId } from '../src/shared/ids.ts';
import { datesBetween } from '../src/shared/schedules.ts';
import { report, speedRatio } from './support/report.ts';
import { describeTiming, onBothEngines, timeRoute, type RouteTiming } from './support/route-timing.ts';
import {
  addDailySchedule, answersFor, checkColumns, Columns, insertChecks, random, seedEstablishment, templateVersions,
  type SeededEstablishment,
} from './support/seed.ts';

const CONCERNS = 100;
const ACTIONS_PER_CONCERN = 5;
const ACTIONS = CONCERNS * ACTIONS_PER_CONCERN;
const CHECKS = 50_000;
const UNITS = 40;
const TEMPLATE_KEYS = ['daily-servery-check', 'daily-unit-cleaning', 'duty-governor-round'];
const TO = '2026-11-23';
const FROM = addDays(TO, -364);
const NOW = new Date(`${TO}T21:00:00Z`);
const STATUSES = ['not-started', 'in-progress', 'complete'];

/** The plan: its concerns and actions, some assigned to the head of residence. Returns the plan's and actions' ids. */
async function seedPlan(db: Db, establishment: SeededEstablishment): Promise<{ planId: string; actionIds: string[] }> {
  const planId = newId();
  await db.query(
    "INSERT INTO plans (id, establishment_id, title, source_file, published_on) VALUES ($1, $2, 'HMP Benchmark action plan', 'benchmark.docx', '2026-01-15')",
    [planId, establishment.id],
  );
  const recommendations = new Columns(['id', 'ref', 'position', 'category', 'concern']);
  const actions = new Columns(['id', 'recommendation', 'position', 'text', 'owner', 'target', 'due', 'status', 'assignee']);
  for (let r = 0; r < CONCERNS; r += 1) {
    const recommendationId = newId();
    recommendations.add({
      id: recommendationId, ref: String(r + 1), position: String(r), category: r < 10 ? 'Priority concern' : 'Key concern',
      concern: `Concern ${r + 1}: living conditions on some units were poor and checks were not recorded.`,
    });
    for (let a = 0; a < ACTIONS_PER_CONCERN; a += 1) {
      const n = r * ACTIONS_PER_CONCERN + a;
      const due = addDays('2026-01-31', (n % 12) * 30);
      actions.add({
        id: newId(), recommendation: recommendationId, position: String(a),
        text: `Delivering improvement ${r + 1}.${a + 1} across every residential unit, monitored weekly.`,
        owner: 'Head of Residence', target: due.slice(0, 7), due, status: STATUSES[n % STATUSES.length] ?? 'not-started',
        assignee: n % 3 === 0 ? establishment.userId : null,
      });
    }
  }
  await recommendations.insert(
    db,
    `INSERT INTO recommendations (id, plan_id, ref, position, category, concern, agreement)
     SELECT r.id, $1, r.ref, r.position, r.category, r.concern, 'Agreed'
     FROM unnest($2::uuid[], $3::text[], $4::int[], $5::text[], $6::text[]) AS r (id, ref, position, category, concern)`,
    [planId],
  );
  await actions.insert(
    db,
    `INSERT INTO actions (id, recommendation_id, position, text, owner, target, due, complete, status, assignee_id)
     SELECT a.id, a.recommendation, a.position, a.text, a.owner, a.target, a.due, a.status = 'complete', a.status, a.assignee
     FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::text[], $5::text[], $6::text[], $7::date[], $8::text[], $9::uuid[])
          AS a (id, recommendation, position, text, owner, target, due, status, assignee)`,
  );
  return { planId, actionIds: actions.values.id as string[] };
}

interface Seeded {
  planId: string;
  links: number;
  reviews: number;
}

async function seed(db: Db): Promise<Seeded> {
  const establishment = await seedEstablishment(db, UNITS);
  const { planId, actionIds } = await seedPlan(db, establishment);
  const templates = [];
  for (const template of await templateVersions(db, establishment.id, TEMPLATE_KEYS)) {
    const scheduleId = await addDailySchedule(db, establishment, template.templateId, FROM);
    // Passing, and with one item failed.
    const answers = [false, true].map((failing) => JSON.stringify(answersFor(template.items, failing)));
    templates.push({ ...template, scheduleId, answers });
  }
  const days = datesBetween(FROM, TO);
  const rand = random(20260115);
  const pick = <T>(list: readonly T[]): T => {
    const item = list[Math.floor(rand() * list.length)];
    if (item === undefined) throw new Error('empty list');
    return item;
  };
  const checks = checkColumns();
  const links = new Columns(['check', 'action']);
  const reviews = new Columns(['id', 'check', 'decision', 'reason', 'reviewedAt']);
  for (let i = 0; i < CHECKS; i += 1) {
    const template = pick(templates);
    const day = pick(days);
    const submitted = Date.parse(`${day}T08:00:00Z`) + Math.floor(rand() * 9 * 60) * 60_000;
    const failed = rand() < 0.02;
    const id = newId();
    checks.add({
      id, version: template.versionId, schedule: template.scheduleId, dueOn: day, unit: pick(establishment.unitIds),
      answers: template.answers[failed ? 1 : 0] ?? '[]', submittedAt: new Date(submitted).toISOString(), supersedes: null,
    });
    // Every action gets about the same share of evidence; one check in ten proves a second action too.
    const action = actionIds[i % ACTIONS] ?? '';
    links.add({ check: id, action });
    if (i % 10 === 5) {
      const second = actionIds[(i * 7 + 3) % ACTIONS] ?? '';
      if (second !== action) links.add({ check: id, action: second });
    }
    // One in ten reviewed a day later; a returned one is often accepted after it is put right.
    if (rand() < 0.1) {
      const returned = failed || rand() < 0.1;
      const reviewedAt = new Date(submitted + 24 * 3600_000);
      reviews.add({
        id: newId(), check: id, decision: returned ? 'returned' : 'accepted', reason: returned ? 'The photo does not show the servery.' : null,
        reviewedAt: reviewedAt.toISOString(),
      });
      if (returned && rand() < 0.5) {
        reviews.add({ id: newId(), check: id, decision: 'accepted', reason: null, reviewedAt: new Date(reviewedAt.getTime() + 3600_000).toISOString() });
      }
    }
  }
  await insertChecks(db, establishment, checks);
  await links.insert(db, 'INSERT INTO check_actions (check_id, action_id) SELECT * FROM unnest($1::uuid[], $2::uuid[])');
  await reviews.insert(
    db,
    `INSERT INTO reviews (id, establishment_id, check_id, decision, reason, reviewer_id, reviewed_at)
     SELECT r.id, $1, r.check_id, r.decision, r.reason, $2, r.reviewed_at
     FROM unnest($3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::timestamptz[]) AS r (id, check_id, decision, reason, reviewed_at)`,
    [establishment.id, establishment.userId],
  );
  await db.exec('ANALYZE');
  return { planId, links: links.length, reviews: reviews.length };
}

interface Measured {
  seeded: Seeded;
  timing: RouteTiming;
}

const { pglite, postgres } = await onBothEngines(async (db, label): Promise<Measured> => {
  const started = performance.now();
  const seeded = await seed(db);
  console.log(`${label}: seeded ${CHECKS.toLocaleString('en-GB')} checks in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const timing = await timeRoute(db, `/api/plans/${seeded.planId}/overview`, NOW);
  // The answer must be the whole plan with all its evidence counted, or the timing means nothing.
  const overview = PlanOverview.parse(timing.first.json());
  const counted = overview.actions.reduce((n, a) => n + a.evidenceCount, 0);
  if (overview.actions.length !== ACTIONS || counted !== seeded.links) {
    throw new Error(`${label}: overview has ${overview.actions.length} actions and ${counted} links; seeded ${ACTIONS} and ${seeded.links}`);
  }
  return { seeded, timing };
});

const { seeded } = pglite.result;
const figure = (run: typeof pglite) => `${run.label}: ${describeTiming(run.result.timing)}`;
report({
  rows: [{
    benchmark: `plan overview (\`npm run bench:overview\`): \`GET /api/plans/:id/overview\`, ${ACTIONS} actions, ${CHECKS.toLocaleString('en-GB')} checks `
      + `(${seeded.links.toLocaleString('en-GB')} action links, ${seeded.reviews.toLocaleString('en-GB')} reviews) on ${UNITS} units`,
    figure: figure(pglite),
    comparison: figure(postgres),
    ratio: `${postgres.label} ${speedRatio(postgres.result.timing.medianMs, pglite.result.timing.medianMs)} than ${pglite.label}`,
  }],
});
