import { describe, expect, it } from 'vitest';
import type { CoverageResponse } from '../../src/shared/api/coverage.ts';
import { encodeCell } from '../../src/shared/coverage-compact.ts';
import type { CellState } from '../../src/shared/coverage.ts';
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

/** A row of expected cells, as the answer writes them. */
const encode = (states: CellState[]) =>
  states.map((state) => encodeCell({ state, expected: true, shown: state === 'done' || state === 'late' || state === 'failed' })).join('');

describe('the head of residence’s dashboard figures', () => {
  it('finds the Monday of a week, across a month end', () => {
    expect(weekStart('2026-11-23')).toBe('2026-11-23');
    expect(weekStart('2026-11-29')).toBe('2026-11-23');
    expect(weekStart('2026-12-02')).toBe('2026-11-30');
  });

  const A_WING = '0192f5e4-6d3a-7c1e-9b2a-3f4e5d6c7b8b';
  const B_WING = '0192f5e4-6d3a-7c1e-9b2a-3f4e5d6c7b8c';
  const unit = (cells: string, unitId = A_WING) => ({ unitId, name: 'A Wing', archived: false, cells, summary: {} });
  interface Schedule { units: ReturnType<typeof unit>[] }
  const answer = (from: string, to: string, schedules: Schedule[], checks: number[] = [], failures: number[] = []) =>
    ({ from, to, schedules, checks, checksWithFailures: failures }) as unknown as CoverageResponse;

  it('adds up due checks done per week across schedules and units, counting only expected cells', () => {
    // Friday 20 to Tuesday 24 November 2026.
    const coverage = answer('2026-11-20', '2026-11-24', [
      {
        units: [
          unit(encode(['done', 'missed', 'failed', 'late', 'due'])),
          unit(encode(['done', 'done', 'done', 'failed', 'not-due'])),
          // A unit not on the schedule: shown, never counted.
          unit('d----', B_WING),
        ],
      },
    ]);
    expect(weeklyFigures(coverage)).toEqual([
      { weekStart: '2026-11-16', expected: 6, recorded: 5, percent: 83, checks: 0, checksWithFailures: 0 },
      { weekStart: '2026-11-23', expected: 2, recorded: 2, percent: 100, checks: 0, checksWithFailures: 0 },
    ]);
  });

  it('adds up the checks of each day into its week, as the server counted them', () => {
    const coverage = answer('2026-11-22', '2026-11-24', [{ units: [unit('FDD')] }], [1, 16, 1], [1, 0, 0]);
    expect(weeklyFigures(coverage)).toEqual([
      { weekStart: '2026-11-16', expected: 1, recorded: 1, percent: 100, checks: 1, checksWithFailures: 1 },
      { weekStart: '2026-11-23', expected: 2, recorded: 2, percent: 100, checks: 17, checksWithFailures: 0 },
    ]);
  });

  it('has no weeks when no schedule had a unit in the period', () => {
    expect(weeklyFigures(answer('2026-11-22', '2026-11-24', [{ units: [] }], [0, 0, 0], [0, 0, 0]))).toEqual([]);
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
