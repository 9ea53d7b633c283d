import { z } from 'zod';
import { GapExplanation } from './gaps.ts';
import { CheckPresence } from './sync.ts';
import { CELL_LETTERS } from '../coverage-compact.ts';
import { CELL_STATES, daysInPeriod, MAX_PERIOD_DAYS } from '../coverage.ts';
import { Frequency } from '../frequency.ts';
import { LocalDate as Day } from '../text.ts';
import { PerformedBy } from './capture.ts';

const LocalDate = (name: string) => Day(`must be a date written as YYYY-MM-DD, for example ${name === 'from' ? '2026-11-16' : name === 'to' ? '2026-11-22' : '2026-11-18'}`);

/** A period of at most MAX_PERIOD_DAYS, both days included, its faults reported on `to`. */
function refinePeriod(query: { from: string; to: string }, ctx: z.RefinementCtx): void {
  // zod runs this even when a date above was refused: then there is nothing to compare.
  if (!Day().safeParse(query.from).success || !Day().safeParse(query.to).success) return;
  const days = daysInPeriod(query.from, query.to);
  if (days < 1) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: `(${query.to}) is before from (${query.from}): the period must end on or after the day it starts` });
  } else if (days > MAX_PERIOD_DAYS) {
    ctx.addIssue({
      code: 'custom',
      path: ['to'],
      message: `makes the period ${days} days long: choose at most ${MAX_PERIOD_DAYS} days (from ${query.from}, to no later than a year on)`,
    });
  }
}

/** GET /api/coverage?from=YYYY-MM-DD&to=YYYY-MM-DD[&scheduleId=…]: both days included. */
export const CoverageQuery = z
  .strictObject({
    from: LocalDate('from'),
    to: LocalDate('to'),
    /** Only this schedule; default: every schedule in use during the period. */
    scheduleId: z.uuid('must be a schedule id').optional(),
  })
  .superRefine(refinePeriod);
export type CoverageQuery = z.infer<typeof CoverageQuery>;

export const CoverageCellState = z.enum(CELL_STATES);
export type CoverageCellState = z.infer<typeof CoverageCellState>;

/** A check recorded for a cell: started from a schedule, run ad hoc or a correction, by anyone. */
export const CoverageCheck = z.object({
  id: z.uuid(),
  state: z.enum(['done', 'late', 'failed']),
  /**
   * The day it is for (see dayOfCheck), when that is not the cell's date: another day of the cycle
   * the cell is due for (the Monday clean done on Tuesday). Absent: the cell's date, as in answers
   * kept on a device from before this field.
   */
  day: z.iso.date().optional(),
  authorName: z.string(),
  submittedAt: z.string(),
  supersedes: z.uuid().nullable(),
  /** Replaced by this correction: shown, not counted. */
  supersededBy: z.uuid().nullable(),
  /** Where it was done: a location tag scanned, or why not; absent or null: not recorded. */
  presence: CheckPresence.nullable().optional(),
});
export type CoverageCheck = z.infer<typeof CoverageCheck>;

/** See CoverageSummary in src/shared/coverage.ts for exactly what is counted. */
export const CoverageSummary = z.object({
  expected: z.number().int(),
  recorded: z.number().int(),
  done: z.number().int(),
  late: z.number().int(),
  failed: z.number().int(),
  missed: z.number().int(),
  /** Days with an accepted explanation and no check: expected, apart from missed (absent in answers from before). */
  explained: z.number().int().default(0),
  /** Recorded of expected, rounded down; null when nothing is counted yet. */
  percent: z.number().int().nullable(),
  /** Recorded of expected leaving the explained days out; null when nothing else is counted. */
  percentUnexplained: z.number().int().nullable().default(null),
});
export type CoverageSummary = z.infer<typeof CoverageSummary>;

export const UnitCoverage = z.object({
  unitId: z.uuid(),
  name: z.string(),
  archived: z.boolean(),
  /**
   * One letter per day of the period, from `from` to `to` (see encodeCell in src/shared/coverage-compact.ts:
   * the state, whether a check was expected, whether it has checks to open); decodeCells reads them.
   */
  cells: z.string().regex(CELL_LETTERS),
  summary: CoverageSummary,
  /**
   * The days of the period someone explained (the explanation that stands for each, whatever the head
   * of residence made of it): few, so listed; an accepted one's cell reads explained.
   */
  explanations: z.array(z.object({ day: z.iso.date(), id: z.uuid(), status: z.enum(['awaiting-review', 'accepted', 'queried']) })).default([]),
});
export type UnitCoverage = z.infer<typeof UnitCoverage>;

export const ScheduleCoverage = z.object({
  scheduleId: z.uuid(),
  templateId: z.uuid(),
  /** The title of the template's newest version. */
  templateTitle: z.string(),
  frequency: Frequency,
  performedBy: PerformedBy,
  startsOn: z.iso.date(),
  archived: z.boolean(),
  units: z.array(UnitCoverage),
  summary: CoverageSummary,
});
export type ScheduleCoverage = z.infer<typeof ScheduleCoverage>;

export const CoverageResponse = z.object({
  from: z.iso.date(),
  to: z.iso.date(),
  /** Today in the establishment's time zone, when the answer was made. */
  today: z.iso.date(),
  timeZone: z.string(),
  schedules: z.array(ScheduleCoverage),
  /**
   * Per day of the period: the checks recorded for it that count (not replaced), of every template the
   * schedules have, each once however many schedules show it; and those of them with failed items.
   */
  checks: z.array(z.number().int()),
  checksWithFailures: z.array(z.number().int()),
});
export type CoverageResponse = z.infer<typeof CoverageResponse>;

/** GET /api/coverage/checks: the checks behind one cell of coverage for the period (the same from and to). */
export const CoverageChecksQuery = z
  .strictObject({
    from: LocalDate('from'),
    to: LocalDate('to'),
    scheduleId: z.uuid('must be a schedule id'),
    unitId: z.uuid('must be a unit id'),
    /** The cell's date, in the period. */
    day: LocalDate('day'),
  })
  .superRefine((query, ctx) => {
    refinePeriod(query, ctx);
    if (!Day().safeParse(query.day).success) return;
    if (query.day < query.from || query.day > query.to) {
      ctx.addIssue({ code: 'custom', path: ['day'], message: `(${query.day}) is not in the period from ${query.from} to ${query.to}` });
    }
  });
export type CoverageChecksQuery = z.infer<typeof CoverageChecksQuery>;

/** The cell's checks, oldest first, replaced ones included. */
export const CoverageCellChecks = z.object({
  checks: z.array(CoverageCheck),
  /** Explanations of the cell's day, the one that stands first. */
  explanations: z.array(GapExplanation).default([]),
});
export type CoverageCellChecks = z.infer<typeof CoverageCellChecks>;
