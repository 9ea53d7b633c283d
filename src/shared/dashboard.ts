import type { CoverageResponse } from './api/coverage.ts';
import type { OverviewAction } from './api/review.ts';
import { decodeCells } from './coverage-compact.ts';
import { addDays } from './coverage.ts';
import { datesBetween, weekdayOf, type LocalDate } from './schedules.ts';
import { displayStatus } from './status.ts';

/** The Monday of the week a date falls in. */
export function weekStart(date: LocalDate): LocalDate {
  return addDays(date, 1 - weekdayOf(date));
}

export interface WeekFigures {
  weekStart: LocalDate;
  /**
   * Due checks: each schedule's expected unit-days whose day has ended or already has a check (as
   * CoverageSummary counts them; today before anyone has done it is not counted yet).
   */
  expected: number;
  /** Of those, the ones recorded (done, late or with failures): however many checks stand for a unit-day, it counts once. */
  recorded: number;
  /** recorded of expected, rounded down; null when nothing was expected yet. */
  percent: number | null;
  /**
   * Checks recorded for days of this week: every check of a scheduled template on a unit, whether
   * started from a schedule, run ad hoc or corrected. Each check once, however many schedules show it;
   * a corrected check once, as its standing correction.
   */
  checks: number;
  /** Of those checks, the ones with failed items or readings out of range. */
  checksWithFailures: number;
}

/**
 * Coverage and checks week by week (Monday to Sunday), across every schedule in the answer: "this
 * week against last", how many checks were done, and whether failures are rising.
 */
export function weeklyFigures(coverage: CoverageResponse): WeekFigures[] {
  const weeks = new Map<LocalDate, WeekFigures>();
  const weekOf = (day: LocalDate): WeekFigures => {
    const key = weekStart(day);
    let week = weeks.get(key);
    if (!week) {
      week = { weekStart: key, expected: 0, recorded: 0, percent: null, checks: 0, checksWithFailures: 0 };
      weeks.set(key, week);
    }
    return week;
  };
  const days = datesBetween(coverage.from, coverage.to);
  for (const schedule of coverage.schedules) {
    for (const unit of schedule.units) {
      decodeCells(unit.cells).forEach((cell, i) => {
        const date = days[i];
        if (!date) return;
        const week = weekOf(date);
        const recorded = cell.state === 'done' || cell.state === 'late' || cell.state === 'failed';
        if (cell.expected && (recorded || cell.state === 'missed')) week.expected += 1;
        if (cell.expected && recorded) week.recorded += 1;
      });
    }
  }
  // The server counts each check once, however many schedules show it, and a correction chain once.
  days.forEach((date, i) => {
    const checks = coverage.checks[i] ?? 0;
    const failed = coverage.checksWithFailures[i] ?? 0;
    if (checks === 0 && failed === 0) return;
    const week = weekOf(date);
    week.checks += checks;
    week.checksWithFailures += failed;
  });
  return [...weeks.values()]
    .sort((a, b) => (a.weekStart < b.weekStart ? -1 : a.weekStart > b.weekStart ? 1 : 0))
    .map((w) => ({ ...w, percent: w.expected > 0 ? Math.floor((w.recorded * 100) / w.expected) : null }));
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
