/**
 * Coverage for a year: 40 units × 365 days × 3 daily schedules (43,800 expected checks), about
 * 95% done on time and the rest late, with failed items, corrected or missed, 2% of them run ad
 * hoc ("Run another check": no schedule, no due date), inserted with bulk SQL. Then GET
 * /api/coverage for the whole year through the real app (buildApp + inject, signed in as a head of
 * residence), on the embedded PGlite and on a throwaway PostgreSQL cluster.
 * Run: npm run bench:coverage
 */
import type { Db } from '../server/src/db/client.ts';
import { CoverageResponse } from '../src/shared/api/coverage.ts';
import { addDays } from '../src/shared/coverage.ts';
import { newId } from '../src/shared/ids.ts';
import { datesBetween } from '../src/shared/schedules.ts';
import { report, speedRatio } from './support/report.ts';
import { describeTiming, onBothEngines, timeRoute, type RouteTiming } from './support/route-timing.ts';
import { addDailySchedule, answersFor, checkColumns, insertChecks, random, seedEstablishment, templateVersions } from './support/seed.ts';

const UNITS = 40;
const TEMPLATE_KEYS = ['daily-servery-check', 'daily-unit-cleaning', 'duty-governor-round'];
const TO = '2026-11-23';
const FROM = addDays(TO, -364);
// Late evening on the last day: every day of the year but today has ended.
const NOW = new Date(`${TO}T21:00:00Z`);

interface Seeded {
  checks: number;
  expected: number;
}

async function seed(db: Db): Promise<Seeded> {
  const establishment = await seedEstablishment(db, UNITS);
  const templates = await templateVersions(db, establishment.id, TEMPLATE_KEYS);
  const rand = random(20261123);
  const checks = checkColumns();
  const days = datesBetween(FROM, TO);
  for (const template of templates) {
    const scheduleId = await addDailySchedule(db, establishment, template.templateId, FROM);
    const passing = JSON.stringify(answersFor(template.items, false));
    const failing = JSON.stringify(answersFor(template.items, true));
    for (const unitId of establishment.unitIds) {
      for (const day of days) {
        const roll = rand();
        if (roll < 0.03) continue; // missed
        // Mid-morning to late afternoon; a late one is done the next morning.
        const minutes = 8 * 60 + Math.floor(rand() * 9 * 60);
        const late = roll < 0.05;
        const submittedAt = new Date(Date.parse(`${late ? addDays(day, 1) : day}T00:00:00Z`) + minutes * 60_000);
        const failed = roll >= 0.05 && roll < 0.07;
        const id = newId();
        // Run through "Run another check": counted for the day it was started, like a scheduled one.
        const adHoc = roll >= 0.08 && roll < 0.1;
        const common = {
          version: template.versionId,
          schedule: adHoc ? null : scheduleId,
          dueOn: adHoc ? null : day,
          unit: unitId,
        };
        const answers = failed ? failing : passing;
        checks.add({ ...common, id, answers, submittedAt: submittedAt.toISOString(), supersedes: null });
        // About 1% are corrected a few minutes later: counted once. The correction comes right
        // after its original, so the original is in the same batch or an earlier one.
        if (roll >= 0.07 && roll < 0.08) {
          const correctedAt = new Date(submittedAt.getTime() + 5 * 60_000).toISOString();
          checks.add({ ...common, id: newId(), answers: passing, submittedAt: correctedAt, supersedes: id });
        }
      }
    }
  }
  await insertChecks(db, establishment, checks);
  // The server sets checks.day as each check arrives (dayOfCheck); these bulk rows get it by the same rule (no
  // corrections of ad hoc checks here, so a correction's day is its due date).
  await db.query(
    "UPDATE checks SET day = COALESCE(due_on, (started_at AT TIME ZONE 'Europe/London')::date) WHERE establishment_id = $1",
    [establishment.id],
  );
  await db.exec('ANALYZE');
  return { checks: checks.length, expected: templates.length * UNITS * days.length };
}

interface Measured {
  seeded: Seeded;
  timing: RouteTiming;
  /** Mean coverage over the schedules, as a check that the data is what it says. */
  percent: number;
}

const { pglite, postgres } = await onBothEngines(async (db, label): Promise<Measured> => {
  const started = performance.now();
  const seeded = await seed(db);
  console.log(`${label}: seeded ${seeded.checks.toLocaleString('en-GB')} checks in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const timing = await timeRoute(db, `/api/coverage?from=${FROM}&to=${TO}`, NOW);
  const answer = CoverageResponse.parse(timing.first.json());
  const percents = answer.schedules.map((s) => s.summary.percent ?? 0);
  return { seeded, timing, percent: Math.round(percents.reduce((a, b) => a + b, 0) / Math.max(1, percents.length)) };
});

const { seeded } = pglite.result;
// The first call works out which checks failed, once per check (the server keeps that: a check never changes).
const figure = (run: typeof pglite) =>
  `${run.label}: ${describeTiming(run.result.timing)}; first call ${run.result.timing.firstMs.toFixed(0)} ms; mean coverage ${run.result.percent}%`;
report({
  rows: [{
    benchmark: `coverage (\`npm run bench:coverage\`): \`GET /api/coverage\` for a year, ${UNITS} units × 365 days × ${TEMPLATE_KEYS.length} daily `
      + `schedules (${seeded.expected.toLocaleString('en-GB')} expected, ${seeded.checks.toLocaleString('en-GB')} checks, 2% ad hoc)`,
    figure: figure(pglite),
    comparison: figure(postgres),
    ratio: `${postgres.label} ${speedRatio(postgres.result.timing.medianMs, pglite.result.timing.medianMs)} than ${pglite.label}`,
  }],
});
