import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compactCoverage, dayGroupsOf, decodeCells, encodeCell, type CellFacts, type CheckDayGroup } from '../../src/shared/coverage-compact.ts';
import {
  addDays,
  CELL_STATES,
  checksWindow,
  computeCoverage,
  type CoverageCheckInput,
  type CoverageInput,
  type CoverageScheduleInput,
  type CoverageUnitInput,
} from '../../src/shared/coverage.ts';
import type { Frequency } from '../../src/shared/frequency.ts';
import { schedule, unit } from './support/coverage-inputs.ts';

const LONDON = 'Europe/London';

describe('one letter per cell', () => {
  it('writes every cell computeCoverage can give as its own letter, and reads it back', () => {
    const cells = CELL_STATES.flatMap((state) =>
      [true, false].flatMap((expected) => [true, false].map((shown): CellFacts => ({ state, expected, shown })))).filter((cell) =>
      // A recorded day has checks to show; missed, explained and due are only ever days a check was expected.
      cell.state === 'done' || cell.state === 'late' || cell.state === 'failed' ? cell.shown : cell.state === 'not-due' || cell.expected);
    const letters = cells.map(encodeCell);
    expect(new Set(letters).size).toBe(cells.length);
    expect(decodeCells(letters.join(''))).toEqual(cells);
    expect(cells).toHaveLength(16);
  });

  it('refuses a cell that cannot be: done with no check to show', () => {
    expect(() => encodeCell({ state: 'done', expected: true, shown: false })).toThrow(/no letter/);
  });
});

// Random schedules, units and checks around November 2026 --------------------------------------------

const BASE = '2026-10-20';
const dayAround = (min: number, max: number) => fc.integer({ min, max }).map((n) => addDays(BASE, n));
const UNIT_IDS = ['A Wing', 'B Wing', 'C Wing'];
const TEMPLATES = ['servery', 'clean'];

const frequencies: fc.Arbitrary<Frequency> = fc.oneof(
  fc.constant<Frequency>({ every: 'day' }),
  fc.integer({ min: 1, max: 7 }).map((weekday): Frequency => ({ every: 'week', weekday })),
  fc.integer({ min: 1, max: 31 }).map((day): Frequency => ({ every: 'month', day })),
);

const schedules = fc.array(
  fc.record({
    templateId: fc.constantFrom(...TEMPLATES),
    frequency: frequencies,
    unitIds: fc.subarray(UNIT_IDS),
    startsOn: dayAround(-30, 40),
    archivedOn: fc.option(dayAround(0, 70)),
  }),
  { minLength: 1, maxLength: 3 },
).map((list) => list.map((s, i): CoverageScheduleInput => ({ ...s, id: `schedule-${i}` })));

const unitDates = fc.record({ createdOn: dayAround(-40, 30), archivedOn: fc.option(dayAround(0, 70)) });
const units = fc.tuple(...UNIT_IDS.map((id) => unitDates.map((u): CoverageUnitInput => ({ id, name: id, ...u }))));

/**
 * Checks, some correcting an earlier one of the same template, unit and day (as dayOfCheck makes them),
 * some of those rivals at one instant.
 */
const checks = fc.array(
  fc.record({
    templateId: fc.constantFrom(...TEMPLATES, 'other'),
    unitId: fc.constantFrom(...UNIT_IDS),
    day: dayAround(-10, 60),
    // Minutes from the day's start (UTC): the day before it to two days after.
    minutes: fc.integer({ min: -24 * 60, max: 3 * 24 * 60 }).map((m) => m - (m % 30)),
    failed: fc.boolean(),
    corrects: fc.option(fc.nat(), { freq: 3 }),
  }),
  { maxLength: 40 },
).map((list) => {
  const made: CoverageCheckInput[] = [];
  list.forEach((c, i) => {
    const original = c.corrects === null || made.length === 0 ? undefined : made[c.corrects % made.length];
    const base = original ?? c;
    made.push({
      id: `check-${String(i).padStart(2, '0')}`,
      templateId: base.templateId,
      unitId: base.unitId,
      day: base.day,
      submittedAt: new Date(Date.parse(`${base.day}T00:00:00Z`) + c.minutes * 60_000).toISOString(),
      supersedes: original?.id ?? null,
      failed: c.failed,
    });
  });
  return made;
});

/** Accepted explanations: of days with and without checks, expected or not, past, today or to come. */
const explained = fc.array(
  fc.record({ scheduleId: fc.constantFrom('schedule-0', 'schedule-1', 'schedule-2'), unitId: fc.constantFrom(...UNIT_IDS), day: dayAround(-5, 75) }),
  { maxLength: 12 },
);

const inputs = fc.record({
  schedules,
  units,
  checks,
  explained,
  from: dayAround(0, 30),
  days: fc.integer({ min: 1, max: 40 }),
  now: dayAround(-5, 80).chain((day) => fc.integer({ min: 0, max: 23 }).map((h) => new Date(`${day}T${String(h).padStart(2, '0')}:30:00Z`))),
}).map(({ days, ...rest }): CoverageInput => ({ ...rest, to: addDays(rest.from, days - 1), timeZone: LONDON }));

/**
 * The groups the server makes: its query takes the checks of the schedules' templates in checksWindow,
 * each check no correction touches on its own, and those of correction chains through dayGroupsOf.
 */
function serverGroups(input: CoverageInput): CheckDayGroup[] {
  const templates = new Set(input.schedules.map((s) => s.templateId));
  const window = checksWindow(input.schedules.map((s) => s.frequency), input);
  const found = input.checks.filter((c) => templates.has(c.templateId) && c.day >= window.from && c.day <= window.to);
  const corrected = new Set(found.flatMap((c) => (c.supersedes ? [c.supersedes] : [])));
  const chained = found.filter((c) => c.supersedes !== null || corrected.has(c.id));
  const simple = found.filter((c) => c.supersedes === null && !corrected.has(c.id));
  return [...simple.flatMap((c) => dayGroupsOf([c], input.timeZone)), ...dayGroupsOf(chained, input.timeZone)];
}

/** The checks computeCoverage shows for each day of the period, each once, as the dashboard counts them. */
function checksPerDay(input: CoverageInput): { checks: number[]; checksWithFailures: number[] } {
  const grids = computeCoverage(input);
  const days = grids[0]?.days ?? [];
  const counted = new Set<string>();
  const out = { checks: days.map(() => 0), checksWithFailures: days.map(() => 0) };
  for (const grid of grids) {
    for (const row of grid.rows) {
      for (const cell of row.cells) {
        for (const check of cell.checks) {
          const i = days.indexOf(check.day);
          if (check.supersededBy !== null || counted.has(check.id) || i < 0) continue;
          counted.add(check.id);
          out.checks[i] = (out.checks[i] ?? 0) + 1;
          if (check.state === 'failed') out.checksWithFailures[i] = (out.checksWithFailures[i] ?? 0) + 1;
        }
      }
    }
  }
  return out;
}

describe('coverage in one pass from checks added up per template, unit and day', () => {
  it('gives exactly computeCoverage’s cells, rows and summaries, and its checks per day, however the groups are split', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const expected = computeCoverage(input);
        for (const groups of [dayGroupsOf(input.checks, LONDON), serverGroups(input)]) {
          const compact = compactCoverage({ ...input, groups });
          expect(compact.grids.map((g) => g.scheduleId)).toEqual(expected.map((g) => g.scheduleId));
          compact.grids.forEach((grid, i) => {
            const old = expected[i];
            expect(grid.summary).toEqual(old?.summary);
            expect(grid.rows.map((r) => r.unitId)).toEqual(old?.rows.map((r) => r.unitId));
            grid.rows.forEach((row, j) => {
              const oldRow = old?.rows[j];
              expect(row.summary).toEqual(oldRow?.summary);
              expect(decodeCells(row.cells)).toEqual(
                oldRow?.cells.map((c): CellFacts => ({ state: c.state, expected: c.expected, shown: c.checks.length > 0 })),
              );
            });
          });
          if (expected.some((g) => g.rows.length > 0)) {
            expect({ checks: compact.checks, checksWithFailures: compact.checksWithFailures }).toEqual(checksPerDay(input));
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  const check = (id: string, day: string, overrides: Partial<CoverageCheckInput> = {}): CoverageCheckInput => ({
    id, templateId: 'servery', unitId: 'A Wing', day, submittedAt: `${day}T12:00:00Z`, supersedes: null, failed: false, ...overrides,
  });
  const compact = (checks: CoverageCheckInput[], list = [schedule()]) =>
    compactCoverage({
      schedules: list,
      units: [unit('A Wing')],
      groups: dayGroupsOf(checks, LONDON),
      from: '2026-11-22',
      to: '2026-11-24',
      timeZone: LONDON,
      now: new Date('2026-11-25T12:00:00Z'),
    });

  it('counts each check of a day once, a correction chain once, and those with failures', () => {
    const fifteen = Array.from({ length: 15 }, (_, i) => check(`adhoc-${i}`, '2026-11-23'));
    const checks = [
      check('cold-food', '2026-11-22', { failed: true }),
      ...fifteen,
      check('mistyped', '2026-11-24', { failed: true }),
      check('corrected', '2026-11-24', { supersedes: 'mistyped', submittedAt: '2026-11-24T12:05:00Z' }),
      // Before the period: a weekly check's cycle reaches back to it, but it is not this period's work.
      check('before', '2026-11-16'),
    ];
    // A second schedule of the same template, weekly, shows the same checks: they are counted once.
    const answer = compact(checks, [schedule(), schedule({ id: 'weekly', frequency: { every: 'week', weekday: 1 } })]);
    expect(answer.checks).toEqual([1, 15, 1]);
    expect(answer.checksWithFailures).toEqual([1, 0, 0]);
    expect(answer.grids[0]?.rows[0]?.cells).toEqual('FDD');
    expect(answer.grids[1]?.rows[0]?.cells).toEqual('fD-');
  });

  it('shows an accepted explanation of a gap as explained, counted apart from missed, with both percentages', () => {
    const answer = compactCoverage({
      schedules: [schedule()],
      explained: [
        { scheduleId: 'daily', unitId: 'A Wing', day: '2026-11-22' },
        // A day that was done after all stays done: the explanation changes nothing.
        { scheduleId: 'daily', unitId: 'A Wing', day: '2026-11-23' },
        // Another schedule's explanation is not this one's.
        { scheduleId: 'other', unitId: 'A Wing', day: '2026-11-24' },
      ],
      units: [unit('A Wing')],
      groups: dayGroupsOf([check('done', '2026-11-23')], LONDON),
      from: '2026-11-21',
      to: '2026-11-24',
      timeZone: LONDON,
      now: new Date('2026-11-25T12:00:00Z'),
    });
    const row = answer.grids[0]?.rows[0];
    expect(row?.cells).toBe('MEDM');
    expect(row?.summary).toEqual({
      expected: 4, recorded: 1, done: 1, late: 0, failed: 0, missed: 2, explained: 1, percent: 25, percentUnexplained: 33,
    });
  });
});
