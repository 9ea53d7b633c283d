import { addDays, cycleOf, scheduledDayKey, type Period } from './cycles.ts';
import { datesBetween, isDueOn, localDateOf, type Frequency, type LocalDate } from './schedules.ts';

export { addDays, cycleOf, dayOfCheck, daysInPeriod, thisWeek, type CheckDayFacts, type Cycle, type Period } from './cycles.ts';

/**
 * Coverage: which recurring checks were expected on each unit and day of a period, and what was
 * recorded. Pure: the server feeds it rows from the database, tests feed it literals.
 *
 * Days are calendar days in the establishment's time zone, so the clocks changing never moves a
 * check to another day, and the 23-hour and 25-hour days are each one day.
 *
 * Coverage is about the unit and the check, not about who was scheduled: every check of a
 * schedule's template on a unit counts for that schedule, whether it was started from a schedule,
 * run ad hoc ("Run another check") or is a correction, and whoever ran it.
 */

// The day a check is for, and the cycle it counts in --------------------------------------------

/**
 * The days whose checks can count in a period: from the start of the cycle the period starts in to
 * the end of the one it ends in, over every frequency given (the monthly check due on the 20th may
 * have been done on the 3rd, before the period began).
 */
export function checksWindow(frequencies: readonly Frequency[], period: Period): Period {
  let { from, to } = period;
  for (const frequency of frequencies) {
    const first = cycleOf(frequency, period.from).from;
    const last = cycleOf(frequency, period.to).to;
    if (first < from) from = first;
    if (last > to) to = last;
  }
  return { from, to };
}

// The grid ---------------------------------------------------------------------------------------

/**
 * What a cell of the grid shows. Explained: no check stands for an expected day, and the head of
 * residence accepted why (lockdown, the unit closed...): apart from missed, never counted as recorded.
 */
export type CellState = 'done' | 'late' | 'failed' | 'missed' | 'explained' | 'due' | 'not-due';
/** What a recorded check counts as. */
export type CheckState = Extract<CellState, 'done' | 'late' | 'failed'>;

export const CELL_STATES = ['done', 'late', 'failed', 'missed', 'explained', 'due', 'not-due'] as const satisfies readonly CellState[];

export interface CoverageScheduleInput {
  id: string;
  /** Checks of this template count for the schedule, however they were started. */
  templateId: string;
  frequency: Frequency;
  unitIds: readonly string[];
  /** Nothing is expected before this local date. */
  startsOn: LocalDate;
  /** The local date it was archived: nothing is expected from that day on. Null: in use. */
  archivedOn: LocalDate | null;
}

export interface CoverageUnitInput {
  id: string;
  name: string;
  /** The local date the unit was added: checks are expected from that day. */
  createdOn: LocalDate;
  /** The local date it was archived: nothing is expected from that day on. Null: in use. */
  archivedOn: LocalDate | null;
}

export interface CoverageCheckInput {
  id: string;
  /** The template of the version it was made with. */
  templateId: string;
  unitId: string;
  /** The day it is for (dayOfCheck). */
  day: LocalDate;
  /** ISO instant the device recorded it as submitted. */
  submittedAt: string;
  /** The check this one corrects. */
  supersedes: string | null;
  /** Any failing answer: a "fail", a "no" that needs explaining, a reading out of range (see isFailure). */
  failed: boolean;
}

/** An expected day of a schedule on a unit whose gap the head of residence accepted an explanation for. */
export interface ExplainedDay {
  scheduleId: string;
  unitId: string;
  day: LocalDate;
}

export interface CoverageInput {
  schedules: readonly CoverageScheduleInput[];
  /** Accepted explanations of gaps: a day among them with no check standing is explained, not missed. */
  explained?: readonly ExplainedDay[];
  /** Every unit the schedules or checks may name, archived ones included. */
  units: readonly CoverageUnitInput[];
  /**
   * Checks whose day is in checksWindow of the schedules' frequencies and the period, of any
   * template (those of a template no schedule has are ignored). A correction's original must be here
   * too for the chain to count once: it has the same day, so it is.
   */
  checks: readonly CoverageCheckInput[];
  from: LocalDate;
  to: LocalDate;
  /** The establishment's IANA time zone ("Europe/London"). */
  timeZone: string;
  now: Date;
}

export interface CellCheck {
  id: string;
  /** Late when done after the cell's date had ended (on a later day of its cycle, or submitted after midnight). */
  state: CheckState;
  /** The day it is for: the cell's date, or another day of the cycle that the cell's date is due for. */
  day: LocalDate;
  submittedAt: string;
  supersedes: string | null;
  /** The correction that replaces this check; a replaced check is shown but not counted. */
  supersededBy: string | null;
}

export interface GridCell {
  date: LocalDate;
  state: CellState;
  /** A check was expected that day (schedule, unit and frequency all say so). */
  expected: boolean;
  /**
   * Every check recorded for the cell, replaced ones included, oldest first. An expected cell holds
   * the checks of every day of its cycle; a cell that is not expected holds the checks of its own day
   * that no expected cell took (a unit not on the schedule, a cycle whose due date is outside the
   * period or before the schedule started): shown, not counted.
   */
  checks: CellCheck[];
}

/**
 * What the percentage is made of. Counted ("expected") are the days a check was expected that
 * have either ended or already have a check: today before anyone has done it is not counted yet,
 * and neither is any later day. `recorded` = done + late + failed of those; missed is the rest.
 * A check recorded on a day nothing was expected is shown in its cell but not counted at all.
 * An explained day (an accepted explanation, no check) is counted as expected, not recorded, and
 * apart from missed. `percent` is recorded of expected, rounded down, so 100 means nothing was
 * missed or explained; `percentUnexplained` leaves the explained days out (recorded of expected
 * minus explained): both are shown, so an explanation never hides a gap. Null when nothing is counted.
 */
export interface CoverageSummary {
  expected: number;
  recorded: number;
  done: number;
  late: number;
  failed: number;
  missed: number;
  explained: number;
  percent: number | null;
  percentUnexplained: number | null;
}

export interface GridRow {
  unitId: string;
  unitName: string;
  /** One per day of the period, in order. */
  cells: GridCell[];
  summary: CoverageSummary;
}

export interface ScheduleGrid {
  scheduleId: string;
  days: LocalDate[];
  /** Units by name; a unit with nothing expected and nothing recorded in the period is left out. */
  rows: GridRow[];
  summary: CoverageSummary;
}

/** localDateOf for many instants in one zone (it keeps one formatter per zone, so this is as fast). */
export function localDateReader(timeZone: string): (instant: Date) => LocalDate {
  return (instant) => localDateOf(instant, timeZone);
}

export function emptySummary(): CoverageSummary {
  return {
    expected: 0, recorded: 0, done: 0, late: 0, failed: 0, missed: 0, explained: 0, percent: null, percentUnexplained: null,
  };
}

const percentOf = (part: number, whole: number) => (whole > 0 ? Math.floor((part * 100) / whole) : null);

export function withPercent(summary: CoverageSummary): CoverageSummary {
  return {
    ...summary,
    percent: percentOf(summary.recorded, summary.expected),
    percentUnexplained: percentOf(summary.recorded, summary.expected - summary.explained),
  };
}

/**
 * Counts one cell in a summary: an expected day that was recorded, or explained, or has ended
 * without either (missed). Today before anyone has done it, and later days, are not counted yet.
 */
export function countCell(
  summary: CoverageSummary,
  cell: { state: CellState; expected: boolean; date: LocalDate },
  today: LocalDate,
): void {
  if (!cell.expected) return;
  const { state } = cell;
  if (state === 'done' || state === 'late' || state === 'failed') {
    summary[state] += 1;
    summary.recorded += 1;
    summary.expected += 1;
  } else if (state === 'explained') {
    summary.explained += 1;
    summary.expected += 1;
  } else if (cell.date < today) {
    summary.missed += 1;
    summary.expected += 1;
  }
}

/**
 * The state of an expected or unexpected cell with no check standing: explained (an accepted
 * explanation, on a day that has begun), else missed once the day has ended, due today, not due later.
 */
export function stateWithoutCheck(expected: boolean, explained: boolean, date: LocalDate, today: LocalDate): CellState {
  if (!expected) return 'not-due';
  if (explained && date <= today) return 'explained';
  return date < today ? 'missed' : date === today ? 'due' : 'not-due';
}

/** The accepted explanations, by schedule, unit and day ("scheduleId/unitId/day"). */
export function explainedKeys(explained: readonly ExplainedDay[] | undefined): Set<string> {
  return new Set((explained ?? []).map((e) => scheduledDayKey({ scheduleId: e.scheduleId, unitId: e.unitId, date: e.day })));
}

export function addUp(summaries: readonly CoverageSummary[]): CoverageSummary {
  const total = emptySummary();
  for (const s of summaries) {
    total.expected += s.expected;
    total.recorded += s.recorded;
    total.done += s.done;
    total.late += s.late;
    total.failed += s.failed;
    total.missed += s.missed;
    total.explained += s.explained;
  }
  return withPercent(total);
}

function summarise(cells: readonly GridCell[], today: LocalDate): CoverageSummary {
  const summary = emptySummary();
  for (const cell of cells) countCell(summary, cell, today);
  return withPercent(summary);
}

/**
 * Several checks may stand for one day (two people did it); replaced ones do not count. Failed items
 * win, because someone must look at them; otherwise one check on time makes the day done; otherwise it was late.
 */
function stateOfRecorded(checks: readonly CellCheck[]): CheckState {
  const standing = checks.filter((c) => c.supersededBy === null);
  if (standing.some((c) => c.state === 'failed')) return 'failed';
  return standing.some((c) => c.state === 'done') ? 'done' : 'late';
}

export function isExpected(
  schedule: CoverageScheduleInput,
  unit: CoverageUnitInput,
  onSchedule: boolean,
  date: LocalDate,
): boolean {
  return (
    onSchedule
    && date >= schedule.startsOn
    && (schedule.archivedOn === null || date < schedule.archivedOn)
    && date >= unit.createdOn
    // Archived during a day: that day's check is no longer asked for (Today stops listing the unit).
    && (unit.archivedOn === null || date < unit.archivedOn)
    && isDueOn(schedule.frequency, date)
  );
}

/** What a correction chain decides for each of its checks, whichever cell it is shown in. */
interface ChainFacts {
  /** The correction that replaces this check; a replaced check is shown but not counted. */
  supersededBy: string | null;
  /** The local date of the chain's first submission: when the check was done, for on time or late. */
  firstSubmittedOn: LocalDate;
}

/**
 * The correction that stands for each corrected check, by the corrected check's id. Two corrections
 * of one check (made on two devices): the later one stands (the greater id at the same instant, as
 * the database's coverage query decides it).
 */
export function correctionWinners(checks: readonly CoverageCheckInput[]): Map<string, CoverageCheckInput> {
  const winners = new Map<string, CoverageCheckInput>();
  for (const check of checks) {
    if (!check.supersedes) continue;
    const rival = winners.get(check.supersedes);
    if (!rival || rival.submittedAt < check.submittedAt || (rival.submittedAt === check.submittedAt && rival.id < check.id)) {
      winners.set(check.supersedes, check);
    }
  }
  return winners;
}

/** When a check's chain of corrections was first submitted: the submission of the check it all began with. */
export function firstSubmittedAt(check: CoverageCheckInput, byId: ReadonlyMap<string, CoverageCheckInput>): string {
  let current = check;
  const seen = new Set<string>([check.id]);
  for (;;) {
    const earlier = current.supersedes ? byId.get(current.supersedes) : undefined;
    // seen guards against a cycle in bad data: it would otherwise loop forever.
    if (!earlier || seen.has(earlier.id)) return current.submittedAt;
    seen.add(earlier.id);
    current = earlier;
  }
}

/**
 * Corrections: a check that another check given supersedes is replaced by it, so each chain counts
 * once, with the newest correction's answers (failed or not). Timeliness is the chain's first
 * submission: a correction fixes what was recorded, not when, so correcting a typo the next
 * morning does not make an on-time check late.
 */
function chainFacts(checks: readonly CoverageCheckInput[], localDate: (instant: Date) => LocalDate): Map<string, ChainFacts> {
  const byId = new Map(checks.map((c) => [c.id, c]));
  const supersededBy = correctionWinners(checks);
  const replacedBy = new Map<string, string>();
  for (const [originalId, winner] of supersededBy) replacedBy.set(originalId, winner.id);
  for (const check of checks) {
    // The correction that lost is replaced by the one that stands, so the chain still counts once.
    const winner = check.supersedes ? supersededBy.get(check.supersedes) : undefined;
    if (winner && winner.id !== check.id) replacedBy.set(check.id, winner.id);
  }
  const facts = new Map<string, ChainFacts>();
  for (const check of checks) {
    facts.set(check.id, {
      supersededBy: replacedBy.get(check.id) ?? null,
      firstSubmittedOn: localDate(new Date(firstSubmittedAt(check, byId))),
    });
  }
  return facts;
}

// "Unit 2" before "Unit 10".
const byName = new Intl.Collator('en-GB', { numeric: true });

// ISO instants sort as plain strings; localeCompare would be slow over a year of checks.
const oldestFirst = (a: CellCheck, b: CellCheck) => (a.submittedAt < b.submittedAt ? -1 : a.submittedAt > b.submittedAt ? 1 : 0);

/**
 * What every coverage calculation starts from: the period's days and each one's index, today where
 * the establishment is, the units by id, the schedules' templates, and the days whose checks count.
 */
export function coverageFrame(input: Omit<CoverageInput, 'checks'>) {
  const { from, to } = input;
  const days = datesBetween(from, to);
  return {
    days,
    dayIndex: new Map(days.map((date, i) => [date, i])),
    today: localDateOf(input.now, input.timeZone),
    units: new Map(input.units.map((u) => [u.id, u])),
    templates: new Set(input.schedules.map((s) => s.templateId)),
    span: checksWindow(input.schedules.map((s) => s.frequency), { from, to }),
  };
}

/**
 * The coverage grid of each schedule over the period, in the order the schedules were given.
 *
 * Each check of the schedule's template on a unit goes to the due date of the cycle its day is in
 * (cycleOf), when that date is in the period and expected of the unit: there it counts, late if its
 * day or its first submission came after the due date. Otherwise it is shown on its own day, not
 * counted. So a check counts in every schedule of its template (two schedules of one template
 * both see it), and many checks of one unit and cycle fill one cell.
 */
export function computeCoverage(input: CoverageInput): ScheduleGrid[] {
  const { timeZone } = input;
  const { days, dayIndex, today, units, templates, span } = coverageFrame(input);
  const relevant = input.checks.filter(
    (c) => templates.has(c.templateId) && units.has(c.unitId) && c.day >= span.from && c.day <= span.to,
  );
  const chains = chainFacts(relevant, localDateReader(timeZone));
  const explained = explainedKeys(input.explained);
  const byTemplate = new Map<string, CoverageCheckInput[]>();
  for (const check of relevant) {
    const list = byTemplate.get(check.templateId) ?? [];
    byTemplate.set(check.templateId, list);
    list.push(check);
  }

  return input.schedules.map((schedule): ScheduleGrid => {
    const onSchedule = new Set(schedule.unitIds);
    const expectedDays = new Map<string, boolean[]>();
    const expectedOf = (unit: CoverageUnitInput): boolean[] => {
      let row = expectedDays.get(unit.id);
      if (!row) {
        row = days.map((date) => isExpected(schedule, unit, onSchedule.has(unit.id), date));
        expectedDays.set(unit.id, row);
      }
      return row;
    };
    // Many checks share a day: work each day's cycle out once.
    const dueDates = new Map<LocalDate, LocalDate>();
    const dueDateOf = (day: LocalDate): LocalDate => {
      let due = dueDates.get(day);
      if (due === undefined) {
        due = cycleOf(schedule.frequency, day).dueOn;
        dueDates.set(day, due);
      }
      return due;
    };

    // unit -> day index -> checks
    const recorded = new Map<string, CellCheck[][]>();
    for (const check of byTemplate.get(schedule.templateId) ?? []) {
      const unit = units.get(check.unitId);
      const chain = chains.get(check.id);
      if (!unit || !chain) continue;
      const dueIndex = dayIndex.get(dueDateOf(check.day));
      const index = dueIndex !== undefined && expectedOf(unit)[dueIndex] ? dueIndex : dayIndex.get(check.day);
      const date = index === undefined ? undefined : days[index];
      if (index === undefined || date === undefined) continue;
      const row = recorded.get(check.unitId) ?? days.map((): CellCheck[] => []);
      recorded.set(check.unitId, row);
      const late = check.day > date || chain.firstSubmittedOn > date;
      row[index]?.push({
        id: check.id,
        state: check.failed ? 'failed' : late ? 'late' : 'done',
        day: check.day,
        submittedAt: check.submittedAt,
        supersedes: check.supersedes,
        supersededBy: chain.supersededBy,
      });
    }

    // Units not on the schedule (or taken off it) keep a row while they have checks in the period.
    const unitIds = [...new Set([...schedule.unitIds, ...recorded.keys()])];
    const rows: GridRow[] = [];
    for (const unitId of unitIds) {
      const unit = units.get(unitId);
      if (!unit) continue;
      const expectedRow = expectedOf(unit);
      const unitChecks = recorded.get(unitId);
      const cells = days.map((date, i): GridCell => {
        const expected = expectedRow[i] ?? false;
        const checks = unitChecks?.[i] ?? [];
        if (checks.length > 1) checks.sort(oldestFirst);
        let state: CellState;
        if (checks.length > 0 && checks.some((c) => c.supersededBy === null)) state = stateOfRecorded(checks);
        else {
          const isExplained = explained.has(scheduledDayKey({ scheduleId: schedule.id, unitId, date }));
          state = stateWithoutCheck(expected, isExplained, date, today);
        }
        return { date, state, expected, checks };
      });
      if (!cells.some((c) => c.expected || c.checks.length > 0)) continue;
      rows.push({ unitId, unitName: unit.name, cells, summary: summarise(cells, today) });
    }
    rows.sort((a, b) => byName.compare(a.unitName, b.unitName));
    return { scheduleId: schedule.id, days, rows, summary: addUp(rows.map((r) => r.summary)) };
  });
}

// Periods -------------------------------------------------------------------------------------

/** The longest period coverage is worked out for: a year, leap years included. */
export const MAX_PERIOD_DAYS = 366;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The 28 days ending today. */
export function lastFourWeeks(today: LocalDate): Period {
  return { from: addDays(today, -27), to: today };
}

/**
 * A date as a person types it: "16/11/2026" (also with dashes, dots or spaces), or "2026-11-16".
 * Null when it is not a real date.
 */
export function readDate(text: string): LocalDate | null {
  const trimmed = text.trim();
  const iso = ISO_DATE.exec(trimmed);
  const dmy = /^(\d{1,2})[/\-. ]+(\d{1,2})[/\-. ]+(\d{4})$/.exec(trimmed);
  const [year, month, day] = iso ? [iso[1], iso[2], iso[3]] : dmy ? [dmy[3], dmy[2], dmy[1]] : [];
  if (year === undefined || month === undefined || day === undefined) return null;
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  // Date.UTC rolls 31/02 over into March: a real date reads back the same.
  const written = date.toISOString().slice(0, 10);
  return written === `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}` ? written : null;
}
