import {
  addUp,
  coverageFrame,
  correctionWinners,
  countCell,
  cycleOf,
  explainedKeys,
  emptySummary,
  firstSubmittedAt,
  isExpected,
  localDateReader,
  stateWithoutCheck,
  withPercent,
  type CellState,
  type CoverageCheckInput,
  type CoverageScheduleInput,
  type CoverageSummary,
  type CoverageUnitInput,
  type ExplainedDay,
} from './coverage.ts';
import { scheduledDayKey } from './cycles.ts';
import type { LocalDate } from './schedules.ts';

/**
 * Coverage in one pass over a period's days, from checks already added up per template, unit and
 * day (the database's GROUP BY), written one letter per cell. It gives exactly the states,
 * expectations and summaries computeCoverage gives from the checks one by one (the unit tests hold
 * the two equal over random schedules and checks), without an object per day or per check: a year
 * of 40 units and 3 daily schedules is about 50 KB rather than 9 MB. The checks behind a cell are
 * read when someone opens it (GET /api/coverage/checks).
 */

// One letter per cell ----------------------------------------------------------------------------

/** What a cell's letter says: its state, whether a check was expected, and whether it has checks to show. */
export interface CellFacts {
  state: CellState;
  expected: boolean;
  /**
   * Checks were recorded for it (replaced ones included): the screen lets them be opened. Always so
   * when done, late or failed; a missed, due or not-due cell has some only when each was replaced.
   */
  shown: boolean;
}

/**
 * Every cell computeCoverage can give: upper case for a day a check was expected, lower case
 * for the rest of done, late and failed; m, e, t and n are missed, explained, due and not yet due with only
 * replaced checks; "-" nothing expected, "x" nothing expected and only replaced checks.
 */
const CELL_CODES: readonly (readonly [string, CellFacts])[] = [
  ['D', { state: 'done', expected: true, shown: true }],
  ['d', { state: 'done', expected: false, shown: true }],
  ['L', { state: 'late', expected: true, shown: true }],
  ['l', { state: 'late', expected: false, shown: true }],
  ['F', { state: 'failed', expected: true, shown: true }],
  ['f', { state: 'failed', expected: false, shown: true }],
  ['M', { state: 'missed', expected: true, shown: false }],
  ['m', { state: 'missed', expected: true, shown: true }],
  ['E', { state: 'explained', expected: true, shown: false }],
  ['e', { state: 'explained', expected: true, shown: true }],
  ['T', { state: 'due', expected: true, shown: false }],
  ['t', { state: 'due', expected: true, shown: true }],
  ['N', { state: 'not-due', expected: true, shown: false }],
  ['n', { state: 'not-due', expected: true, shown: true }],
  ['-', { state: 'not-due', expected: false, shown: false }],
  ['x', { state: 'not-due', expected: false, shown: true }],
];

const factsKey = (facts: CellFacts) => `${facts.state}/${facts.expected}/${facts.shown}`;
const CODE_OF = new Map(CELL_CODES.map(([code, facts]) => [factsKey(facts), code]));
const FACTS_OF = new Map(CELL_CODES.map(([code, facts]) => [code, facts]));

/** A row of cells as the answer carries it: one of these letters per day. */
export const CELL_LETTERS = /^[DdLlFfMmEeTtNn\-x]*$/;

export function encodeCell(facts: CellFacts): string {
  const code = CODE_OF.get(factsKey(facts));
  if (code === undefined) throw new Error(`coverage: no letter for a cell ${factsKey(facts)}`);
  return code;
}

/** The facts of each letter of a row (an unknown letter, which CELL_LETTERS refuses, reads as nothing expected). */
export function decodeCells(cells: string): CellFacts[] {
  const out: CellFacts[] = [];
  for (const code of cells) out.push(FACTS_OF.get(code) ?? { state: 'not-due', expected: false, shown: false });
  return out;
}

// The checks of a template, unit and day, added up ----------------------------------------------

/** What the checks of one template on one unit for one day add up to (checks.day: see dayOfCheck). */
export interface CheckDayGroup {
  templateId: string;
  unitId: string;
  day: LocalDate;
  /** Every check, replaced ones included. */
  checks: number;
  /** Those not replaced by a correction: they count. */
  standing: number;
  /** Standing ones with failing answers. */
  failed: number;
  /**
   * Of the standing checks without failures, the earliest date it was done by: the later of its day
   * and the local date of its chain's first submission. A cell on or after it is done; null: none.
   */
  doneBy: LocalDate | null;
}

/**
 * The groups computeCoverage's rules make of checks one by one: what the coverage query does in
 * SQL (server/src/services/coverage.ts), written here for the tests to compare with.
 */
export function dayGroupsOf(checks: readonly CoverageCheckInput[], timeZone: string): CheckDayGroup[] {
  const localDate = localDateReader(timeZone);
  const byId = new Map(checks.map((c) => [c.id, c]));
  const winners = correctionWinners(checks);
  const replaced = (check: CoverageCheckInput): boolean => {
    if (winners.has(check.id)) return true;
    const winner = check.supersedes ? winners.get(check.supersedes) : undefined;
    return winner !== undefined && winner.id !== check.id;
  };
  const groups = new Map<string, CheckDayGroup>();
  for (const check of checks) {
    const key = `${check.templateId}/${check.unitId}/${check.day}`;
    let group = groups.get(key);
    if (!group) {
      const { templateId, unitId, day } = check;
      group = { templateId, unitId, day, checks: 0, standing: 0, failed: 0, doneBy: null };
      groups.set(key, group);
    }
    group.checks += 1;
    if (replaced(check)) continue;
    group.standing += 1;
    if (check.failed) {
      group.failed += 1;
      continue;
    }
    const submittedOn = localDate(new Date(firstSubmittedAt(check, byId)));
    const doneBy = submittedOn > check.day ? submittedOn : check.day;
    if (group.doneBy === null || doneBy < group.doneBy) group.doneBy = doneBy;
  }
  return [...groups.values()];
}

// The grid, compact ------------------------------------------------------------------------------

export interface CompactCoverageInput {
  schedules: readonly CoverageScheduleInput[];
  /** Accepted explanations of gaps (see CoverageInput). */
  explained?: readonly ExplainedDay[];
  /** Every unit the schedules or checks may name, archived ones included. */
  units: readonly CoverageUnitInput[];
  /** The checks whose day is in checksWindow of the schedules' frequencies and the period, added up. */
  groups: readonly CheckDayGroup[];
  from: LocalDate;
  to: LocalDate;
  timeZone: string;
  now: Date;
}

export interface CompactRow {
  unitId: string;
  unitName: string;
  /** One letter per day of the period (encodeCell). */
  cells: string;
  summary: CoverageSummary;
}

export interface CompactGrid {
  scheduleId: string;
  /** Units by name; a unit with nothing expected and nothing recorded in the period is left out. */
  rows: CompactRow[];
  summary: CoverageSummary;
}

export interface CompactCoverage {
  grids: CompactGrid[];
  /**
   * Per day of the period, the standing checks for that day of every template the schedules have,
   * each once however many schedules show it, and those of them with failures (the dashboard's weeks).
   */
  checks: number[];
  checksWithFailures: number[];
}

// "Unit 2" before "Unit 10", as computeCoverage orders them.
const byName = new Intl.Collator('en-GB', { numeric: true });

/** computeCoverage's grids, one letter per cell, from checks added up per template, unit and day. */
export function compactCoverage(input: CompactCoverageInput): CompactCoverage {
  const { days, dayIndex, today, units, templates, span } = coverageFrame(input);
  const checks = days.map(() => 0);
  const checksWithFailures = days.map(() => 0);
  const explained = explainedKeys(input.explained);
  const byTemplate = new Map<string, CheckDayGroup[]>();
  for (const group of input.groups) {
    if (!templates.has(group.templateId) || !units.has(group.unitId) || group.day < span.from || group.day > span.to) continue;
    let list = byTemplate.get(group.templateId);
    if (!list) byTemplate.set(group.templateId, (list = []));
    list.push(group);
    const i = dayIndex.get(group.day);
    if (i === undefined) continue;
    checks[i] = (checks[i] ?? 0) + group.standing;
    checksWithFailures[i] = (checksWithFailures[i] ?? 0) + group.failed;
  }

  const grids = input.schedules.map((schedule): CompactGrid => {
    const onSchedule = new Set(schedule.unitIds);
    const expectedRows = new Map<string, boolean[]>();
    const expectedOf = (unit: CoverageUnitInput): boolean[] => {
      let row = expectedRows.get(unit.id);
      if (!row) {
        const isOn = onSchedule.has(unit.id);
        row = days.map((date) => isExpected(schedule, unit, isOn, date));
        expectedRows.set(unit.id, row);
      }
      return row;
    };
    const dueIndexes = new Map<LocalDate, number | undefined>();
    const dueIndexOf = (day: LocalDate): number | undefined => {
      if (dueIndexes.has(day)) return dueIndexes.get(day);
      // A daily schedule's cycle is its day: no need to work it out.
      const index = dayIndex.get(schedule.frequency.every === 'day' ? day : cycleOf(schedule.frequency, day).dueOn);
      dueIndexes.set(day, index);
      return index;
    };

    /** Per unit and day: checks shown, standing, failed, and one done on time. */
    interface Tally { shown: boolean[]; standing: number[]; failed: number[]; onTime: boolean[] }
    const tallies = new Map<string, Tally>();
    for (const group of byTemplate.get(schedule.templateId) ?? []) {
      const unit = units.get(group.unitId);
      if (!unit) continue;
      const dueIndex = dueIndexOf(group.day);
      const index = dueIndex !== undefined && expectedOf(unit)[dueIndex] ? dueIndex : dayIndex.get(group.day);
      const date = index === undefined ? undefined : days[index];
      if (index === undefined || date === undefined) continue;
      let tally = tallies.get(group.unitId);
      if (!tally) {
        const none = () => days.map(() => 0);
        tally = { shown: days.map(() => false), standing: none(), failed: none(), onTime: days.map(() => false) };
        tallies.set(group.unitId, tally);
      }
      if (group.checks > 0) tally.shown[index] = true;
      tally.standing[index] = (tally.standing[index] ?? 0) + group.standing;
      tally.failed[index] = (tally.failed[index] ?? 0) + group.failed;
      if (group.doneBy !== null && group.doneBy <= date) tally.onTime[index] = true;
    }

    const rows: CompactRow[] = [];
    for (const unitId of new Set([...schedule.unitIds, ...tallies.keys()])) {
      const unit = units.get(unitId);
      if (!unit) continue;
      const expectedRow = expectedOf(unit);
      const tally = tallies.get(unitId);
      const summary = emptySummary();
      let cells = '';
      let any = false;
      for (let i = 0; i < days.length; i += 1) {
        const date = days[i] ?? '';
        const expected = expectedRow[i] ?? false;
        const shown = tally?.shown[i] ?? false;
        let state: CellState;
        if ((tally?.standing[i] ?? 0) > 0) state = (tally?.failed[i] ?? 0) > 0 ? 'failed' : tally?.onTime[i] ? 'done' : 'late';
        else {
          const isExplained = explained.has(scheduledDayKey({ scheduleId: schedule.id, unitId, date }));
          state = stateWithoutCheck(expected, isExplained, date, today);
        }
        if (expected || shown) any = true;
        countCell(summary, { state, expected, date }, today);
        cells += encodeCell({ state, expected, shown });
      }
      if (!any) continue;
      rows.push({ unitId, unitName: unit.name, cells, summary: withPercent(summary) });
    }
    rows.sort((a, b) => byName.compare(a.unitName, b.unitName));
    return { scheduleId: schedule.id, rows, summary: addUp(rows.map((r) => r.summary)) };
  });
  return { grids, checks, checksWithFailures };
}
