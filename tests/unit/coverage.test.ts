import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CoverageQuery } from '../../src/shared/api/coverage.ts';
import {
  addDays,
  checksWindow,
  computeCoverage,
  cycleOf,
  dayOfCheck,
  daysInPeriod,
  lastFourWeeks,
  localDateReader,
  readDate,
  thisWeek,
  type CoverageCheckInput,
  type CoverageInput,
  type GridRow,
  type ScheduleGrid,
} from '../../src/shared/coverage.ts';
import type { Frequency } from '../../src/shared/frequency.ts';
import { datesBetween, isDueOn, localDateOf } from '../../src/shared/schedules.ts';
import { schedule, unit } from './support/coverage-inputs.ts';

const LONDON = 'Europe/London';

let nextCheck = 0;
/** A check of the servery template on A Wing for `day` (a scheduled check's due date, or the day an ad hoc one was started). */
const check = (day: string, submittedAt: string, overrides: Partial<CoverageCheckInput> = {}): CoverageCheckInput => ({
  id: `check-${++nextCheck}`,
  templateId: 'servery',
  unitId: 'A Wing',
  day,
  submittedAt,
  supersedes: null,
  failed: false,
  ...overrides,
});

// Monday 16 to Sunday 22 November 2026 (GMT), looked at on Friday 20th mid-morning.
const WEEK = { from: '2026-11-16', to: '2026-11-22', timeZone: LONDON, now: new Date('2026-11-20T10:00:00Z') };

function coverage(overrides: Partial<CoverageInput>): ScheduleGrid[] {
  return computeCoverage({ schedules: [schedule()], units: [unit('A Wing')], checks: [], ...WEEK, ...overrides });
}

function onlyRow(overrides: Partial<CoverageInput>): GridRow {
  const [grid] = coverage(overrides);
  const [row] = grid?.rows ?? [];
  if (!row) throw new Error('no row');
  return row;
}

const states = (row: GridRow) => row.cells.map((c) => c.state);

describe('what is expected', () => {
  it('expects a daily check every day: missed once the day has ended, due today, nothing yet after today', () => {
    const row = onlyRow({ checks: [check('2026-11-16', '2026-11-16T09:00:00Z')] });
    expect(row.cells.map((c) => c.date)).toEqual(['2026-11-16', '2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20', '2026-11-21', '2026-11-22']);
    expect(states(row)).toEqual(['done', 'missed', 'missed', 'missed', 'due', 'not-due', 'not-due']);
    // Saturday and Sunday are expected, just not yet: the screen says "not due yet".
    expect(row.cells.map((c) => c.expected)).toEqual([true, true, true, true, true, true, true]);
  });

  it('expects a weekly check on its weekday only', () => {
    const row = onlyRow({ schedules: [schedule({ frequency: { every: 'week', weekday: 3 } })] });
    expect(states(row)).toEqual(['not-due', 'not-due', 'missed', 'not-due', 'not-due', 'not-due', 'not-due']);
    expect(row.cells.filter((c) => c.expected).map((c) => c.date)).toEqual(['2026-11-18']);
  });

  it('expects a monthly check on its day, or on the last day of a shorter month', () => {
    const monthly = schedule({ frequency: { every: 'month', day: 31 } });
    const [grid] = coverage({ schedules: [monthly], from: '2026-01-01', to: '2026-04-30', now: new Date('2026-06-01T12:00:00Z') });
    const expected = grid?.rows[0]?.cells.filter((c) => c.expected).map((c) => c.date);
    expect(expected).toEqual(['2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30']);
    expect(grid?.summary).toMatchObject({ expected: 4, missed: 4, percent: 0 });
  });

  it('expects nothing before the schedule starts or from the day it is archived', () => {
    const row = onlyRow({ schedules: [schedule({ startsOn: '2026-11-17', archivedOn: '2026-11-19' })] });
    expect(row.cells.map((c) => c.expected)).toEqual([false, true, true, false, false, false, false]);
    expect(states(row)).toEqual(['not-due', 'missed', 'missed', 'not-due', 'not-due', 'not-due', 'not-due']);
  });

  it('expects nothing of a unit before it was added or from the day it was archived', () => {
    const added = unit('C Wing', { createdOn: '2026-11-18' });
    const archived = unit('D Wing', { archivedOn: '2026-11-18' });
    const [grid] = coverage({ schedules: [schedule({ unitIds: ['C Wing', 'D Wing'] })], units: [added, archived] });
    const [c, d] = grid?.rows ?? [];
    expect(c && states(c)).toEqual(['not-due', 'not-due', 'missed', 'missed', 'due', 'not-due', 'not-due']);
    expect(d && states(d)).toEqual(['missed', 'missed', 'not-due', 'not-due', 'not-due', 'not-due', 'not-due']);
    expect(c?.summary).toMatchObject({ expected: 2, missed: 2 });
    expect(d?.summary).toMatchObject({ expected: 2, missed: 2 });
  });

  it('leaves out a unit with nothing expected and nothing recorded in the period', () => {
    const [grid] = coverage({
      schedules: [schedule({ unitIds: ['A Wing', 'Old Wing'] })],
      units: [unit('A Wing'), unit('Old Wing', { archivedOn: '2026-10-01' })],
    });
    expect(grid?.rows.map((r) => r.unitName)).toEqual(['A Wing']);
  });
});

describe('done or late: the end of the due day in the establishment’s time zone', () => {
  const lateness = (day: string, submittedAt: string) => {
    const period = { from: addDays(day, -1), to: addDays(day, 1), now: new Date('2026-12-31T12:00:00Z') };
    const row = onlyRow({ ...period, checks: [check(day, submittedAt)] });
    return row.cells[1]?.state;
  };

  it('is done up to local midnight and late after it, in winter', () => {
    expect(lateness('2026-11-16', '2026-11-16T23:59:00Z')).toBe('done');
    expect(lateness('2026-11-16', '2026-11-17T00:01:00Z')).toBe('late');
    // Done early (a device's clock aside) is still done.
    expect(lateness('2026-11-16', '2026-11-15T20:00:00Z')).toBe('done');
  });

  it('is late at local midnight in summer, an hour before midnight UTC', () => {
    expect(lateness('2026-07-15', '2026-07-15T22:59:00Z')).toBe('done');
    expect(lateness('2026-07-15', '2026-07-15T23:01:00Z')).toBe('late');
  });

  it('gets 29 March 2026 right: the clocks go forward, a day of 23 hours', () => {
    // 23:59 BST on the 29th is 22:59 UTC; 00:01 BST on the 30th is 23:01 UTC on the 29th.
    expect(lateness('2026-03-29', '2026-03-29T22:59:00Z')).toBe('done');
    expect(lateness('2026-03-29', '2026-03-29T23:01:00Z')).toBe('late');
    // The day before ends at midnight GMT, before the change at 01:00 UTC.
    expect(lateness('2026-03-28', '2026-03-28T23:59:00Z')).toBe('done');
    expect(lateness('2026-03-28', '2026-03-29T00:30:00Z')).toBe('late');
  });

  it('gets 25 October 2026 right: the clocks go back, a day of 25 hours', () => {
    // 23:30 GMT on the 25th is still the 25th, though 23:30 BST would not be.
    expect(lateness('2026-10-25', '2026-10-25T23:30:00Z')).toBe('done');
    expect(lateness('2026-10-25', '2026-10-26T00:01:00Z')).toBe('late');
    // 01:30 happens twice on the 25th (BST, then GMT): both are the 25th.
    expect(lateness('2026-10-25', '2026-10-25T00:30:00Z')).toBe('done');
    expect(lateness('2026-10-25', '2026-10-25T01:30:00Z')).toBe('done');
    // The 24th ends at midnight BST, 23:00 UTC.
    expect(lateness('2026-10-24', '2026-10-24T22:59:00Z')).toBe('done');
    expect(lateness('2026-10-24', '2026-10-24T23:30:00Z')).toBe('late');
  });

  it('keeps each of the clock-change days one column', () => {
    const [spring] = coverage({ from: '2026-03-28', to: '2026-03-30' });
    const [autumn] = coverage({ from: '2026-10-24', to: '2026-10-26' });
    expect(spring?.days).toEqual(['2026-03-28', '2026-03-29', '2026-03-30']);
    expect(autumn?.days).toEqual(['2026-10-24', '2026-10-25', '2026-10-26']);
  });

  it('dates an instant in each zone by that zone, however the calls interleave (one kept formatter per zone)', () => {
    const instant = new Date('2026-10-25T11:30:00Z');
    const read = localDateReader(LONDON);
    for (let round = 0; round < 3; round += 1) {
      expect(localDateOf(instant, 'Pacific/Kiritimati')).toBe('2026-10-26');
      expect(read(instant)).toBe('2026-10-25');
      expect(localDateOf(new Date('2026-10-24T23:30:00Z'), LONDON)).toBe('2026-10-25'); // BST: 00:30 the next day
      expect(localDateOf(new Date('2026-10-25T23:30:00Z'), LONDON)).toBe('2026-10-25'); // GMT again
      expect(localDateOf(instant, 'America/Los_Angeles')).toBe('2026-10-25');
    }
    expect(() => localDateOf(instant, 'Not/A_Zone')).toThrow(RangeError);
  });
});

describe('failed items', () => {
  it('shows a check with failing answers as failed, even when it was also late', () => {
    const row = onlyRow({
      checks: [check('2026-11-16', '2026-11-16T09:00:00Z', { failed: true }), check('2026-11-17', '2026-11-18T09:00:00Z', { failed: true })],
    });
    expect(states(row).slice(0, 2)).toEqual(['failed', 'failed']);
    expect(row.cells[1]?.checks.map((c) => c.state)).toEqual(['failed']);
    expect(row.summary).toMatchObject({ failed: 2, recorded: 2 });
  });

  it('shows a day failed when any of its checks found failures, else done when one was on time', () => {
    const row = onlyRow({
      checks: [
        check('2026-11-16', '2026-11-16T09:00:00Z'),
        check('2026-11-16', '2026-11-16T15:00:00Z', { failed: true }),
        check('2026-11-17', '2026-11-17T09:00:00Z'),
        check('2026-11-17', '2026-11-18T09:00:00Z'),
      ],
    });
    expect(states(row).slice(0, 2)).toEqual(['failed', 'done']);
    // Two checks on one day count as one day.
    expect(row.summary).toMatchObject({ expected: 4, recorded: 2, failed: 1, done: 1, missed: 2 });
  });
});

describe('corrections', () => {
  it('counts a check and its correction once, with the correction’s answers', () => {
    const original = check('2026-11-16', '2026-11-16T09:00:00Z', { failed: true });
    const correction = check('2026-11-16', '2026-11-16T09:30:00Z', { supersedes: original.id });
    const row = onlyRow({ checks: [correction, original] });
    expect(row.cells[0]?.state).toBe('done');
    expect(row.cells[0]?.checks).toEqual([
      { id: original.id, state: 'failed', day: '2026-11-16', submittedAt: original.submittedAt, supersedes: null, supersededBy: correction.id },
      { id: correction.id, state: 'done', day: '2026-11-16', submittedAt: correction.submittedAt, supersedes: original.id, supersededBy: null },
    ]);
    expect(row.summary).toMatchObject({ recorded: 1, done: 1, failed: 0 });
  });

  it('shows failed when the correction records a failure the original did not', () => {
    const original = check('2026-11-16', '2026-11-16T09:00:00Z');
    const row = onlyRow({ checks: [original, check('2026-11-16', '2026-11-16T10:00:00Z', { supersedes: original.id, failed: true })] });
    expect(row.cells[0]?.state).toBe('failed');
    expect(row.summary).toMatchObject({ recorded: 1, failed: 1, done: 0 });
  });

  it('keeps an on-time check on time when it is corrected the next morning, through a chain of corrections', () => {
    const original = check('2026-11-16', '2026-11-16T22:00:00Z');
    const first = check('2026-11-16', '2026-11-17T08:00:00Z', { supersedes: original.id });
    const second = check('2026-11-16', '2026-11-17T09:00:00Z', { supersedes: first.id });
    const row = onlyRow({ checks: [second, original, first] });
    expect(row.cells[0]?.state).toBe('done');
    expect(row.cells[0]?.checks.map((c) => c.supersededBy)).toEqual([first.id, second.id, null]);
    expect(row.summary).toMatchObject({ recorded: 1, done: 1, late: 0 });
  });

  it('lets the later of two corrections of one check stand', () => {
    const original = check('2026-11-16', '2026-11-16T09:00:00Z');
    const onTablet = check('2026-11-16', '2026-11-16T10:00:00Z', { supersedes: original.id, failed: true });
    const onPhone = check('2026-11-16', '2026-11-16T11:00:00Z', { supersedes: original.id });
    const row = onlyRow({ checks: [onPhone, onTablet, original] });
    expect(row.cells[0]?.state).toBe('done');
    expect(row.cells[0]?.checks.map((c) => [c.id, c.supersededBy])).toEqual([
      [original.id, onPhone.id],
      [onTablet.id, onPhone.id],
      [onPhone.id, null],
    ]);
    expect(row.summary.recorded).toBe(1);
  });
});

describe('what is counted', () => {
  it('ignores checks for days outside the period and checks of other templates', () => {
    const row = onlyRow({
      checks: [check('2026-11-15', '2026-11-15T09:00:00Z'), check('2026-11-23', '2026-11-23T09:00:00Z'), check('2026-11-16', '2026-11-16T09:00:00Z', { templateId: 'other' })],
    });
    expect(row.cells.every((c) => c.checks.length === 0)).toBe(true);
    expect(row.summary).toMatchObject({ recorded: 0, missed: 4 });
  });

  it('counts a weekly check done on a day it was not due for that week’s due date, late', () => {
    const weekly = schedule({ frequency: { every: 'week', weekday: 1 } });
    const row = onlyRow({ schedules: [weekly], checks: [check('2026-11-17', '2026-11-17T09:00:00Z')] });
    expect(row.cells[0]).toMatchObject({ state: 'late', expected: true });
    expect(row.cells[0]?.checks.map((c) => [c.day, c.state])).toEqual([['2026-11-17', 'late']]);
    expect(row.cells[1]).toMatchObject({ state: 'not-due', expected: false, checks: [] });
    expect(row.summary).toMatchObject({ expected: 1, recorded: 1, late: 1, missed: 0, percent: 100 });
  });

  it('counts ended days and recorded days: today is counted once it is done, and the percentage rounds down', () => {
    const week = [16, 17, 18, 19].map((d) => `2026-11-${d}`);
    const before = onlyRow({ checks: week.slice(0, 3).map((d) => check(d, `${d}T09:00:00Z`)) });
    expect(before.summary).toEqual({
      expected: 4, recorded: 3, done: 3, late: 0, failed: 0, missed: 1, explained: 0, percent: 75, percentUnexplained: 75,
    });
    const todayDone = onlyRow({ checks: [...week.slice(0, 2), '2026-11-20'].map((d) => check(d, `${d}T09:00:00Z`)) });
    // 3 of 5: 60%. Two of 3 would be 66.67%, shown as 66, never rounded up to look better.
    expect(todayDone.summary).toEqual({
      expected: 5, recorded: 3, done: 3, late: 0, failed: 0, missed: 2, explained: 0, percent: 60, percentUnexplained: 60,
    });
    const third = onlyRow({ from: '2026-11-16', to: '2026-11-18', checks: week.slice(0, 2).map((d) => check(d, `${d}T09:00:00Z`)) });
    expect(third.summary.percent).toBe(66);
  });

  it('adds units up into the schedule’s figure, and has no percentage when nothing is counted yet', () => {
    const [grid] = coverage({
      schedules: [schedule({ unitIds: ['A Wing', 'B Wing'] })],
      units: [unit('A Wing'), unit('B Wing')],
      checks: ['16', '17', '18', '19'].map((d) => check(`2026-11-${d}`, `2026-11-${d}T09:00:00Z`)),
    });
    expect(grid?.rows.map((r) => [r.unitName, r.summary.percent])).toEqual([['A Wing', 100], ['B Wing', 0]]);
    expect(grid?.summary).toMatchObject({ expected: 8, recorded: 4, percent: 50 });
    const [future] = coverage({ from: '2026-11-21', to: '2026-11-22' });
    expect(future?.summary.percent).toBeNull();
  });

  it('keeps a row for a unit taken off the schedule while it has checks in the period', () => {
    const [grid] = coverage({
      schedules: [schedule({ unitIds: ['A Wing'] })],
      units: [unit('A Wing'), unit('B Wing')],
      checks: [check('2026-11-16', '2026-11-16T09:00:00Z', { unitId: 'B Wing' })],
    });
    const b = grid?.rows.find((r) => r.unitName === 'B Wing');
    expect(b?.cells[0]).toMatchObject({ state: 'done', expected: false });
    expect(b?.summary.percent).toBeNull();
  });
});

describe('the day a check is for', () => {
  const adHoc = (startedAt: string) => dayOfCheck({ dueOn: null, startedAt, correctsDay: null }, LONDON);

  it('is the due date of a check started from a schedule, whenever it was started', () => {
    expect(dayOfCheck({ dueOn: '2026-11-16', startedAt: '2026-11-17T00:20:00Z', correctsDay: null }, LONDON)).toBe('2026-11-16');
  });

  it('is the local day an ad hoc check was started: after midnight in summer is the next day', () => {
    expect(adHoc('2026-11-16T23:30:00Z')).toBe('2026-11-16');
    expect(adHoc('2026-07-15T23:30:00Z')).toBe('2026-07-16');
    expect(adHoc('2026-07-15T23:30:00+01:00')).toBe('2026-07-15');
  });

  it('gets the days the clocks change right', () => {
    // Forward at 01:00 UTC on 29 March: 00:30 UTC is still GMT, 23:30 UTC is 00:30 BST on the 30th.
    expect(adHoc('2026-03-29T00:30:00Z')).toBe('2026-03-29');
    expect(adHoc('2026-03-29T23:30:00Z')).toBe('2026-03-30');
    // Back at 01:00 UTC on 25 October: 23:30 UTC on the 24th is 00:30 BST on the 25th, 23:30 UTC on the 25th is still the 25th.
    expect(adHoc('2026-10-24T23:30:00Z')).toBe('2026-10-25');
    expect(adHoc('2026-10-25T00:30:00Z')).toBe('2026-10-25');
    expect(adHoc('2026-10-25T23:30:00Z')).toBe('2026-10-25');
  });

  it('is the day of the check a correction corrects, even when corrected the next morning', () => {
    expect(dayOfCheck({ dueOn: null, startedAt: '2026-11-17T08:00:00Z', correctsDay: '2026-11-16' }, LONDON)).toBe('2026-11-16');
    expect(dayOfCheck({ dueOn: '2026-11-16', startedAt: '2026-11-17T08:00:00Z', correctsDay: '2026-11-16' }, LONDON)).toBe('2026-11-16');
  });

  it('is localDateOf the start for any ad hoc check', () => {
    const instants = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true });
    fc.assert(fc.property(instants, (at) => adHoc(at.toISOString()) === localDateOf(at, LONDON)));
  });
});

const frequencies: fc.Arbitrary<Frequency> = fc.oneof(
  fc.constant<Frequency>({ every: 'day' }),
  fc.integer({ min: 1, max: 7 }).map((weekday): Frequency => ({ every: 'week', weekday })),
  fc.integer({ min: 1, max: 31 }).map((day): Frequency => ({ every: 'month', day })),
);
const localDates = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

describe('the cycle a day falls in, and its due date, for every frequency', () => {
  const due = (frequency: Frequency, day: string) => cycleOf(frequency, day).dueOn;

  it('is the day itself for a daily check', () => {
    expect(cycleOf({ every: 'day' }, '2026-11-17')).toEqual({ from: '2026-11-17', to: '2026-11-17', dueOn: '2026-11-17' });
  });

  it('is the week, Monday to Sunday, for a weekly check', () => {
    expect(cycleOf({ every: 'week', weekday: 1 }, '2026-11-17')).toEqual({ from: '2026-11-16', to: '2026-11-22', dueOn: '2026-11-16' });
    // Done early in the week: for that week's Friday.
    expect(due({ every: 'week', weekday: 5 }, '2026-11-19')).toBe('2026-11-20');
    expect(due({ every: 'week', weekday: 7 }, '2026-11-16')).toBe('2026-11-22');
    // Across a year's end.
    expect(due({ every: 'week', weekday: 1 }, '2026-12-31')).toBe('2026-12-28');
    expect(due({ every: 'week', weekday: 5 }, '2027-01-03')).toBe('2027-01-01');
    // The weeks the clocks change are weeks like any other.
    expect(due({ every: 'week', weekday: 7 }, '2026-03-23')).toBe('2026-03-29');
    expect(due({ every: 'week', weekday: 1 }, '2026-10-25')).toBe('2026-10-19');
  });

  it('is the calendar month for a monthly check, due on its day or the month’s last', () => {
    expect(cycleOf({ every: 'month', day: 1 }, '2026-11-17')).toEqual({ from: '2026-11-01', to: '2026-11-30', dueOn: '2026-11-01' });
    expect(cycleOf({ every: 'month', day: 31 }, '2026-02-10')).toEqual({ from: '2026-02-01', to: '2026-02-28', dueOn: '2026-02-28' });
    expect(due({ every: 'month', day: 31 }, '2028-02-03')).toBe('2028-02-29');
    expect(due({ every: 'month', day: 30 }, '2026-02-28')).toBe('2026-02-28');
    expect(due({ every: 'month', day: 31 }, '2026-04-01')).toBe('2026-04-30');
    expect(due({ every: 'month', day: 31 }, '2026-12-01')).toBe('2026-12-31');
    expect(cycleOf({ every: 'month', day: 15 }, '2026-12-31')).toEqual({ from: '2026-12-01', to: '2026-12-31', dueOn: '2026-12-15' });
  });

  it('holds its day and exactly one due date, which every day of it shares, and the next cycle starts the day after', () => {
    fc.assert(
      fc.property(frequencies, localDates, (frequency, day) => {
        const cycle = cycleOf(frequency, day);
        expect(cycle.from <= day && day <= cycle.to).toBe(true);
        const cycleDays = datesBetween(cycle.from, cycle.to);
        expect(cycleDays.filter((d) => isDueOn(frequency, d))).toEqual([cycle.dueOn]);
        for (const other of cycleDays) expect(cycleOf(frequency, other)).toEqual(cycle);
        expect(cycleOf(frequency, addDays(cycle.to, 1)).from).toBe(addDays(cycle.to, 1));
      }),
    );
  });

  it('widens a period to the cycles it starts and ends in, for the checks that can count in it', () => {
    const period = { from: '2026-11-18', to: '2026-11-20' };
    expect(checksWindow([{ every: 'day' }], period)).toEqual(period);
    expect(checksWindow([{ every: 'day' }, { every: 'week', weekday: 3 }], period)).toEqual({ from: '2026-11-16', to: '2026-11-22' });
    expect(checksWindow([{ every: 'week', weekday: 3 }, { every: 'month', day: 31 }], period)).toEqual({ from: '2026-11-01', to: '2026-11-30' });
  });
});

describe('every check of the schedule’s template counts, however it was started and whoever ran it', () => {
  it('counts fifteen checks of one unit and day as one day done, and shows all fifteen', () => {
    const fifteen = Array.from({ length: 15 }, (_, i) => check('2026-11-17', `2026-11-17T12:${String(i).padStart(2, '0')}:00Z`));
    const row = onlyRow({ checks: fifteen });
    expect(row.cells[1]?.state).toBe('done');
    expect(row.cells[1]?.checks).toHaveLength(15);
    expect(row.summary).toMatchObject({ expected: 4, recorded: 1, done: 1, missed: 3 });
  });

  it('counts a check in every schedule of its template, and in none of another', () => {
    const checks = [check('2026-11-17', '2026-11-17T12:00:00Z', { failed: true })];
    const [daily, weekly, other] = coverage({
      schedules: [schedule(), schedule({ id: 'weekly', frequency: { every: 'week', weekday: 1 } }), schedule({ id: 'dg-round', templateId: 'round' })],
      checks,
    });
    expect(daily?.rows[0]?.cells[1]).toMatchObject({ state: 'failed', expected: true });
    expect(weekly?.rows[0]?.cells[0]).toMatchObject({ state: 'failed', expected: true });
    expect(weekly?.summary).toMatchObject({ expected: 1, recorded: 1, failed: 1 });
    expect(other?.rows[0]?.cells.every((c) => c.checks.length === 0)).toBe(true);
  });

  it('counts an ad hoc check corrected the next morning once, on its own day and on time', () => {
    const day = dayOfCheck({ dueOn: null, startedAt: '2026-11-16T21:00:00Z', correctsDay: null }, LONDON);
    const original = check(day, '2026-11-16T21:05:00Z', { failed: true });
    const correctionDay = dayOfCheck({ dueOn: null, startedAt: '2026-11-17T08:00:00Z', correctsDay: day }, LONDON);
    const correction = check(correctionDay, '2026-11-17T08:05:00Z', { supersedes: original.id });
    const row = onlyRow({ checks: [original, correction] });
    expect(row.cells[0]?.state).toBe('done');
    expect(row.cells[0]?.checks.map((c) => [c.id, c.supersededBy])).toEqual([
      [original.id, correction.id],
      [correction.id, null],
    ]);
    expect(row.cells[1]).toMatchObject({ state: 'missed', checks: [] });
    expect(row.summary).toMatchObject({ recorded: 1, done: 1, failed: 0 });
  });

  it('counts a monthly check done before its day as done, and after it as late, month ends included', () => {
    const endOfMonth = schedule({ frequency: { every: 'month', day: 31 } });
    const firstOfMonth = schedule({ id: 'first', frequency: { every: 'month', day: 1 } });
    const period = { from: '2026-02-01', to: '2026-03-31', now: new Date('2026-04-15T12:00:00Z') };
    const [end, first] = coverage({
      ...period,
      schedules: [endOfMonth, firstOfMonth],
      checks: [check('2026-02-10', '2026-02-10T09:00:00Z'), check('2026-03-02', '2026-03-02T09:00:00Z')],
    });
    const cellOn = (grid: ScheduleGrid | undefined, date: string) => grid?.rows[0]?.cells.find((c) => c.date === date);
    expect(cellOn(end, '2026-02-28')).toMatchObject({ state: 'done', expected: true });
    expect(cellOn(end, '2026-03-31')).toMatchObject({ state: 'done', expected: true });
    expect(cellOn(first, '2026-02-01')).toMatchObject({ state: 'late', expected: true });
    expect(cellOn(first, '2026-03-01')).toMatchObject({ state: 'late', expected: true });
    expect(first?.summary).toMatchObject({ expected: 2, recorded: 2, late: 2, missed: 0 });
  });

  it('keeps the clocks changing out of it: a weekly Sunday check started at 00:30 BST on Monday is the next week’s', () => {
    const sunday = schedule({ frequency: { every: 'week', weekday: 7 } });
    const forward = dayOfCheck({ dueOn: null, startedAt: '2026-03-29T23:30:00Z', correctsDay: null }, LONDON);
    const back = dayOfCheck({ dueOn: null, startedAt: '2026-10-25T23:30:00Z', correctsDay: null }, LONDON);
    const [spring] = coverage({
      schedules: [sunday],
      from: '2026-03-23',
      to: '2026-04-05',
      now: new Date('2026-03-31T12:00:00Z'),
      checks: [check(forward, '2026-03-29T23:40:00Z')],
    });
    const springCells = spring?.rows[0]?.cells.filter((c) => c.expected).map((c) => [c.date, c.state]);
    expect(springCells).toEqual([['2026-03-29', 'missed'], ['2026-04-05', 'done']]);
    const [autumn] = coverage({
      schedules: [sunday],
      from: '2026-10-19',
      to: '2026-10-25',
      now: new Date('2026-10-31T12:00:00Z'),
      checks: [check(back, '2026-10-25T23:40:00Z')],
    });
    expect(autumn?.rows[0]?.cells[6]).toMatchObject({ date: '2026-10-25', state: 'done', expected: true });
  });

  it('takes a check of the cycle from before the period to a due date inside it', () => {
    const twentieth = schedule({ frequency: { every: 'month', day: 20 } });
    const row = onlyRow({ schedules: [twentieth], checks: [check('2026-11-03', '2026-11-03T09:00:00Z')] });
    expect(row.cells[4]).toMatchObject({ date: '2026-11-20', state: 'done', expected: true });
    expect(row.summary).toMatchObject({ expected: 1, recorded: 1 });
  });

  it('shows on its own day, not counted, a check whose cycle’s due date is outside the period or not expected', () => {
    const first = onlyRow({ schedules: [schedule({ frequency: { every: 'month', day: 1 } })], checks: [check('2026-11-17', '2026-11-17T09:00:00Z')] });
    expect(first.cells[1]).toMatchObject({ state: 'done', expected: false });
    expect(first.summary.percent).toBeNull();
    // The Monday before the schedule started expected nothing.
    const started = onlyRow({
      schedules: [schedule({ frequency: { every: 'week', weekday: 1 }, startsOn: '2026-11-18' })],
      checks: [check('2026-11-19', '2026-11-19T09:00:00Z')],
    });
    expect(started.cells.map((c) => c.state)).toEqual(['not-due', 'not-due', 'not-due', 'done', 'not-due', 'not-due', 'not-due']);
    expect(started.summary.recorded).toBe(0);
  });

  it('never leaves a check uncounted beside a due date of its cycle that shows missed', () => {
    fc.assert(
      fc.property(frequencies, fc.array(fc.integer({ min: -40, max: 40 }), { maxLength: 12 }), (frequency, offsets) => {
        const from = '2026-11-01';
        const to = '2026-11-30';
        const checks = offsets.map((offset) => check(addDays('2026-11-15', offset), `${addDays('2026-11-15', offset)}T09:00:00Z`));
        const [grid] = coverage({ schedules: [schedule({ frequency })], from, to, now: new Date('2026-12-15T12:00:00Z'), checks });
        const cells = grid?.rows[0]?.cells ?? [];
        for (const c of checks) {
          const holding = cells.filter((cell) => cell.checks.some((shown) => shown.id === c.id));
          const placed = holding.map((cell) => [cell.date, cell.expected]);
          const dueOn = cycleOf(frequency, c.day).dueOn;
          if (dueOn >= from && dueOn <= to) expect(placed).toEqual([[dueOn, true]]);
          else if (c.day >= from && c.day <= to) expect(placed).toEqual([[c.day, false]]);
          else expect(placed).toEqual([]);
        }
        const missed = cells.filter((cell) => cell.state === 'missed').map((cell) => cell.date);
        expect(checks.filter((c) => missed.includes(cycleOf(frequency, c.day).dueOn))).toEqual([]);
      }),
    );
  });
});

describe('periods', () => {
  it('does calendar arithmetic across months, years and the clock changes', () => {
    expect(addDays('2026-03-28', 2)).toBe('2026-03-30');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(daysInPeriod('2026-11-16', '2026-11-16')).toBe(1);
    expect(daysInPeriod('2026-01-01', '2026-12-31')).toBe(365);
    expect(daysInPeriod('2026-11-17', '2026-11-16')).toBe(0);
  });

  it('knows this week (Monday to Sunday) and the last four weeks', () => {
    expect(thisWeek('2026-11-23')).toEqual({ from: '2026-11-23', to: '2026-11-29' });
    expect(thisWeek('2026-11-29')).toEqual({ from: '2026-11-23', to: '2026-11-29' });
    expect(thisWeek('2027-01-01')).toEqual({ from: '2026-12-28', to: '2027-01-03' });
    expect(lastFourWeeks('2026-11-23')).toEqual({ from: '2026-10-27', to: '2026-11-23' });
  });

  it('reads dates as people type them, and refuses ones that do not exist', () => {
    expect(readDate('16/11/2026')).toBe('2026-11-16');
    expect(readDate(' 1-2-2026 ')).toBe('2026-02-01');
    expect(readDate('1 2 2026')).toBe('2026-02-01');
    expect(readDate('2026-11-16')).toBe('2026-11-16');
    expect(readDate('29/02/2028')).toBe('2028-02-29');
    expect(readDate('29/02/2026')).toBeNull();
    expect(readDate('31/04/2026')).toBeNull();
    expect(readDate('16/11/26')).toBeNull();
    expect(readDate('yesterday')).toBeNull();
  });

  it('takes a period of one day to 366 days, ending on or after it starts, with messages that say what is wrong', () => {
    expect(CoverageQuery.safeParse({ from: '2026-11-16', to: '2026-11-16' }).success).toBe(true);
    expect(CoverageQuery.safeParse({ from: '2028-01-01', to: '2028-12-31' }).success).toBe(true);
    const tooLong = CoverageQuery.safeParse({ from: '2026-01-01', to: '2027-01-02' });
    expect(tooLong.error?.issues[0]?.message).toContain('367 days long: choose at most 366 days');
    const backwards = CoverageQuery.safeParse({ from: '2026-11-17', to: '2026-11-16' });
    expect(backwards.error?.issues[0]?.message).toContain('the period must end on or after the day it starts');
    const notADate = CoverageQuery.safeParse({ from: '2026-02-30', to: '2026-03-01' });
    expect(notADate.error?.issues[0]).toMatchObject({ path: ['from'], message: expect.stringContaining('YYYY-MM-DD') as unknown });
    expect(CoverageQuery.safeParse({ from: '2026-11-16', to: '2026-11-22', scheduleId: 'x' }).success).toBe(false);
  });
});
