import { describe, expect, it } from 'vitest';
import type { CoverageCheck, CoverageResponse } from '../../src/shared/api/coverage.ts';
import type { OverviewAction } from '../../src/shared/api/review.ts';
import { actionsWithoutRecentEvidence, overdueActions, weekStart, weeklyFigures } from '../../src/shared/dashboard.ts';

const action = (overrides: Partial<OverviewAction>): OverviewAction => ({
  id: '0192f5e4-6d3a-7c1e-9b2a-3f4e5d6c7b8a',
  ref: '1.7',
  concernRef: '1',
  category: null,
  text: 'Daily servery checks',
  owner: null,
  assigneeId: null,
  assigneeName: null,
  target: null,
  due: null,
  status: 'in-progress',
  evidenceCount: 0,
  lastEvidenceAt: null,
  unitIds: [],
  ...overrides,
});

describe('the head of residence’s dashboard figures', () => {
  it('finds the Monday of a week, across a month end', () => {
    expect(weekStart('2026-11-23')).toBe('2026-11-23');
    expect(weekStart('2026-11-29')).toBe('2026-11-23');
    expect(weekStart('2026-12-02')).toBe('2026-11-30');
  });

  const A_WING = '0192f5e4-6d3a-7c1e-9b2a-3f4e5d6c7b8b';
  const B_WING = '0192f5e4-6d3a-7c1e-9b2a-3f4e5d6c7b8c';
  type TestCheck = Pick<CoverageCheck, 'id' | 'state' | 'supersededBy'> & { day?: string };
  const shown = (c: TestCheck): CoverageCheck => ({ authorName: 'Sam', submittedAt: '2026-11-20T12:00:00.000Z', supersedes: null, ...c });
  const cell = (state: string, checks: TestCheck[] = [], expected = state !== 'not-due') => ({ state, expected, checks: checks.map(shown) });
  const unit = (cells: ReturnType<typeof cell>[], unitId = A_WING) => ({ unitId, name: 'A Wing', archived: false, cells, summary: {} });
  const answer = (from: string, to: string, schedules: { days: string[]; units: ReturnType<typeof unit>[] }[]) =>
    ({ from, to, schedules }) as unknown as CoverageResponse;

  it('adds up due checks done per week across schedules and units, counting only expected cells', () => {
    const days = ['2026-11-20', '2026-11-21', '2026-11-22', '2026-11-23', '2026-11-24'];
    const states = (list: string[]) => list.map((state) => cell(state));
    const coverage = answer('2026-11-20', '2026-11-24', [
      {
        days,
        units: [
          unit(states(['done', 'missed', 'failed', 'late', 'due'])),
          unit(states(['done', 'done', 'done', 'failed', 'not-due'])),
          // A unit not on the schedule: shown, never counted.
          unit([cell('done', [], false), cell('not-due'), cell('not-due'), cell('not-due'), cell('not-due')], B_WING),
        ],
      },
    ]);
    expect(weeklyFigures(coverage)).toEqual([
      { weekStart: '2026-11-16', expected: 6, recorded: 5, percent: 83, checks: 0, checksWithFailures: 0 },
      { weekStart: '2026-11-23', expected: 2, recorded: 2, percent: 100, checks: 0, checksWithFailures: 0 },
    ]);
  });

  it('counts checks per week by the day they are for: each once, a correction chain once, failures among them', () => {
    const days = ['2026-11-22', '2026-11-23', '2026-11-24'];
    const fifteen = Array.from({ length: 15 }, (_, i): TestCheck => ({ id: `adhoc-${i}`, state: 'done', supersededBy: null, day: '2026-11-23' }));
    const failed: TestCheck = { id: 'cold-food', state: 'failed', supersededBy: null, day: '2026-11-22' };
    const mistyped: TestCheck = { id: 'mistyped', state: 'failed', supersededBy: 'corrected', day: '2026-11-24' };
    const corrected: TestCheck = { id: 'corrected', state: 'done', supersededBy: null, day: '2026-11-24' };
    // Shown late on the weekly schedule's Monday, for the day it was done: Tuesday.
    const weeklyLate: TestCheck = { id: 'weekly-late', state: 'late', supersededBy: null, day: '2026-11-24' };
    const daily = { days, units: [unit([cell('failed', [failed]), cell('done', fifteen), cell('done', [mistyped, corrected])])] };
    // A second schedule of the same template shows the same checks: they are counted once.
    const sameTemplate = { days, units: [unit([cell('failed', [failed], false), cell('done', [...fifteen, weeklyLate]), cell('done', [mistyped, corrected], false)])] };
    const figures = weeklyFigures(answer('2026-11-22', '2026-11-24', [daily, sameTemplate]));
    expect(figures).toEqual([
      { weekStart: '2026-11-16', expected: 1, recorded: 1, percent: 100, checks: 1, checksWithFailures: 1 },
      { weekStart: '2026-11-23', expected: 3, recorded: 3, percent: 100, checks: 17, checksWithFailures: 0 },
    ]);
  });

  it('leaves out checks for days outside the period, and counts a check with no day of its own on its cell’s date', () => {
    const days = ['2026-11-23', '2026-11-24'];
    // A monthly check done on the 3rd, shown on the 23rd it was due: not this period's work.
    const early: TestCheck = { id: 'early', state: 'done', supersededBy: null, day: '2026-11-03' };
    const old: TestCheck = { id: 'kept', state: 'failed', supersededBy: null };
    const figures = weeklyFigures(answer('2026-11-23', '2026-11-24', [{ days, units: [unit([cell('done', [early]), cell('failed', [old])])] }]));
    expect(figures).toEqual([{ weekStart: '2026-11-23', expected: 2, recorded: 2, percent: 100, checks: 1, checksWithFailures: 1 }]);
  });

  it('lists unfinished actions with no evidence lately, and overdue ones', () => {
    const now = new Date('2026-11-23T12:00:00Z');
    const actions = [
      action({ id: 'a', lastEvidenceAt: '2026-11-20T09:00:00Z' }),
      action({ id: 'b', lastEvidenceAt: '2026-10-01T09:00:00Z' }),
      action({ id: 'c' }),
      action({ id: 'd', status: 'complete' }),
      action({ id: 'e', due: '2026-11-01' }),
    ];
    expect(actionsWithoutRecentEvidence(actions, now, 14).map((a) => a.id)).toEqual(['b', 'c', 'e']);
    expect(overdueActions(actions, '2026-11-23').map((a) => a.id)).toEqual(['e']);
  });
});
