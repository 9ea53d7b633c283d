import type { CoverageResponse } from './api/coverage.ts';
import type { OverviewAction } from './api/review.ts';
import { addDays } from './coverage.ts';
import { weekdayOf, type LocalDate } from './schedules.ts';
import { displayStatus } from './status.ts';

/** The Monday of the week a date falls in. */
export function weekStart(date: LocalDate): LocalDate {
  return addDays(date, 1 - weekdayOf(date));
}

export interface WeekFigures {
  weekStart: LocalDate;
  /** Checks expected on days that have ended (or been recorded), and those recorded. */
  expected: number;
  recorded: number;
  /** Rounded down; null when nothing was expected yet. */
  percent: number | null;
  /** Recorded checks with failed items or readings out of range. */
  failed: number;
}

/**
 * Coverage and failures week by week (Monday to Sunday), across every schedule in the answer:
 * "this week against last", and whether failed items are rising.
 */
export function weeklyFigures(coverage: CoverageResponse): WeekFigures[] {
  const weeks = new Map<LocalDate, WeekFigures>();
  for (const schedule of coverage.schedules) {
    for (const unit of schedule.units) {
      unit.cells.forEach((cell, i) => {
        const day = schedule.days[i];
        if (!day) return;
        const key = weekStart(day);
        const week = weeks.get(key) ?? { weekStart: key, expected: 0, recorded: 0, percent: null, failed: 0 };
        const recorded = cell.state === 'done' || cell.state === 'late' || cell.state === 'failed';
        if (recorded || cell.state === 'missed') week.expected += 1;
        if (recorded) week.recorded += 1;
        if (cell.state === 'failed') week.failed += 1;
        weeks.set(key, week);
      });
    }
  }
  return [...weeks.values()]
    .sort((a, b) => a.weekStart.localeCompare(b.weekStart))
    .map((w) => ({ ...w, percent: w.expected > 0 ? Math.floor((w.recorded / w.expected) * 100) : null }));
}

/** Live, unfinished actions with no evidence in the last `days` days (none at all counts). */
export function actionsWithoutRecentEvidence(actions: readonly OverviewAction[], now: Date, days: number): OverviewAction[] {
  const since = now.getTime() - days * 24 * 60 * 60 * 1000;
  return actions.filter(
    (a) => a.status !== 'complete' && a.status !== 'archived' && (a.lastEvidenceAt === null || new Date(a.lastEvidenceAt).getTime() < since),
  );
}

export function overdueActions(actions: readonly OverviewAction[], today: LocalDate): OverviewAction[] {
  return actions.filter((a) => displayStatus(a, today) === 'overdue');
}
