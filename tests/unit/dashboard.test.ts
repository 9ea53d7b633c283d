import { describe, expect, it } from 'vitest';
import type { CoverageResponse } from '../../src/shared/api/coverage.ts';
import type { OverviewAction } from '../../src/shared/api/review.ts';
import { actionsWithoutRecentEvidence, overdueActions, weekStart, weeklyFigures } from '../../src/shared/dashboard.ts';

const action = (overrides: Partial<OverviewAction>): OverviewAction => ({
  id: '0192f5e4-6d3a-7c1e-9b2a-3f4e5d6c7b8a',
  ref: '1.7',
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

  it('adds up coverage and failed items per week across schedules and units', () => {
    const days = ['2026-11-20', '2026-11-21', '2026-11-22', '2026-11-23', '2026-11-24'];
    const cell = (state: string) => ({ state, expected: state !== 'not-due', checks: [] });
    const unit = (states: string[]) => ({ unitId: '0192f5e4-6d3a-7c1e-9b2a-3f4e5d6c7b8b', name: 'A Wing', archived: false, cells: states.map(cell), summary: {} });
    const coverage = {
      schedules: [{ days, units: [unit(['done', 'missed', 'failed', 'late', 'due']), unit(['done', 'done', 'done', 'failed', 'not-due'])] }],
    } as unknown as CoverageResponse;
    expect(weeklyFigures(coverage)).toEqual([
      { weekStart: '2026-11-16', expected: 6, recorded: 5, percent: 83, failed: 1 },
      { weekStart: '2026-11-23', expected: 2, recorded: 2, percent: 100, failed: 1 },
    ]);
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
