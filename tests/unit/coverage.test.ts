import { describe, expect, it } from 'vitest';
import { CoverageQuery } from '../../src/shared/api/coverage.ts';
import {
  addDays,
  computeCoverage,
  daysInPeriod,
  lastFourWeeks,
  localDateReader,
  readDate,
  thisWeek,
  type CoverageCheckInput,
  type CoverageInput,
  type CoverageScheduleInput,
  type CoverageUnitInput,
  type GridRow,
  type ScheduleGrid,
} from '../../src/shared/coverage.ts';
import { localDateOf } from '../../src/shared/schedules.ts';

const LONDON = 'Europe/London';

const unit = (id: string, overrides: Partial<CoverageUnitInput> = {}): CoverageUnitInput => ({
  id,
  name: id,
  createdOn: '2025-01-01',
  archivedOn: null,
  ...overrides,
});

const schedule = (overrides: Partial<CoverageScheduleInput> = {}): CoverageScheduleInput => ({
  id: 'daily',
  frequency: { every: 'day' },
  unitIds: ['A Wing'],
  startsOn: '2025-01-01',
  archivedOn: null,
  ...overrides,
});

let nextCheck = 0;
const check = (dueOn: string, submittedAt: string, overrides: Partial<CoverageCheckInput> = {}): CoverageCheckInput => ({
  id: `check-${++nextCheck}`,
  scheduleId: 'daily',
  unitId: 'A Wing',
  dueOn,
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
  const lateness = (dueOn: string, submittedAt: string) => {
    const period = { from: addDays(dueOn, -1), to: addDays(dueOn, 1), now: new Date('2026-12-31T12:00:00Z') };
    const row = onlyRow({ ...period, checks: [check(dueOn, submittedAt)] });
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

  it('reads local dates exactly as localDateOf does, minute by minute across both clock changes', () => {
    const read = localDateReader(LONDON);
    for (const start of ['2026-03-28T22:00:00Z', '2026-10-24T21:00:00Z']) {
      for (let minute = 0; minute < 6 * 60; minute += 7) {
        const instant = new Date(Date.parse(start) + minute * 60_000);
        expect(read(instant), instant.toISOString()).toBe(localDateOf(instant, LONDON));
      }
    }
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
      { id: original.id, state: 'failed', submittedAt: original.submittedAt, supersedes: null, supersededBy: correction.id },
      { id: correction.id, state: 'done', submittedAt: correction.submittedAt, supersedes: original.id, supersededBy: null },
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
  it('ignores checks due outside the period and checks of other schedules', () => {
    const row = onlyRow({
      checks: [check('2026-11-15', '2026-11-15T09:00:00Z'), check('2026-11-23', '2026-11-23T09:00:00Z'), check('2026-11-16', '2026-11-16T09:00:00Z', { scheduleId: 'other' })],
    });
    expect(row.cells.every((c) => c.checks.length === 0)).toBe(true);
    expect(row.summary).toMatchObject({ recorded: 0, missed: 4 });
  });

  it('shows but does not count a check made on a day nothing was expected', () => {
    const weekly = schedule({ frequency: { every: 'week', weekday: 1 } });
    const row = onlyRow({ schedules: [weekly], checks: [check('2026-11-17', '2026-11-17T09:00:00Z')] });
    expect(row.cells[1]).toMatchObject({ state: 'done', expected: false });
    expect(row.summary).toMatchObject({ expected: 1, recorded: 0, missed: 1, percent: 0 });
  });

  it('counts ended days and recorded days: today is counted once it is done, and the percentage rounds down', () => {
    const week = [16, 17, 18, 19].map((d) => `2026-11-${d}`);
    const before = onlyRow({ checks: week.slice(0, 3).map((d) => check(d, `${d}T09:00:00Z`)) });
    expect(before.summary).toEqual({ expected: 4, recorded: 3, done: 3, late: 0, failed: 0, missed: 1, percent: 75 });
    const todayDone = onlyRow({ checks: [...week.slice(0, 2), '2026-11-20'].map((d) => check(d, `${d}T09:00:00Z`)) });
    // 3 of 5: 60%. Two of 3 would be 66.67%, shown as 66, never rounded up to look better.
    expect(todayDone.summary).toEqual({ expected: 5, recorded: 3, done: 3, late: 0, failed: 0, missed: 2, percent: 60 });
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
