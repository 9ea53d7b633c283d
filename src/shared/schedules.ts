import type { Frequency } from './frequency.ts';

export type { Frequency } from './frequency.ts';

/** A calendar date in the establishment's time zone: "2026-03-29". */
export type LocalDate = string;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parts(date: LocalDate): { year: number; month: number; day: number } {
  const m = DATE.exec(date);
  if (!m) throw new RangeError(`not a date: ${date}`);
  return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
}

/**
 * The calendar date at `instant` in `timeZone`: what "today" means on a wing. Computed by the
 * platform's time-zone rules, so the clocks changing (BST) never shifts a day.
 */
export function localDateOf(instant: Date, timeZone: string): LocalDate {
  return dateFormatIn(timeZone).format(instant);
}

/** One formatter per time zone: making one costs far more than formatting with it, and a push dates every check. */
const dateFormats = new Map<string, Intl.DateTimeFormat>();
function dateFormatIn(timeZone: string): Intl.DateTimeFormat {
  let format = dateFormats.get(timeZone);
  if (!format) {
    // en-CA writes dates as YYYY-MM-DD. An unknown zone throws here, before anything is kept.
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dateFormats.set(timeZone, format);
  }
  return format;
}

/** ISO weekday of a calendar date, 1 = Monday. Pure calendar arithmetic: no time zones involved. */
export function weekdayOf(date: LocalDate): number {
  const { year, month, day } = parts(date);
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return weekday === 0 ? 7 : weekday;
}

function lastDayOfMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Whether a check of this frequency is due on this local date. */
export function isDueOn(frequency: Frequency, date: LocalDate): boolean {
  switch (frequency.every) {
    case 'day':
      return true;
    case 'week':
      return weekdayOf(date) === frequency.weekday;
    case 'month': {
      const { year, month, day } = parts(date);
      return day === Math.min(frequency.day, lastDayOfMonth(year, month));
    }
  }
}

export interface ScheduleLike {
  id: string;
  frequency: Frequency;
  unitIds: readonly string[];
}

export interface Due {
  scheduleId: string;
  unitId: string;
  date: LocalDate;
}

/** Everything due on a local date: one entry per schedule and unit it applies to. */
export function dueOn(schedules: readonly ScheduleLike[], date: LocalDate, unitIds?: ReadonlySet<string>): Due[] {
  return schedules.flatMap((schedule) => {
    if (!isDueOn(schedule.frequency, date)) return [];
    const units = schedule.unitIds.filter((unitId) => !unitIds || unitIds.has(unitId));
    return units.map((unitId) => ({ scheduleId: schedule.id, unitId, date }));
  });
}

/** The local dates from `from` to `to` inclusive (for coverage over a period). */
export function datesBetween(from: LocalDate, to: LocalDate): LocalDate[] {
  const start = parts(from);
  const end = parts(to);
  const out: LocalDate[] = [];
  const cursor = new Date(Date.UTC(start.year, start.month - 1, start.day));
  const stop = Date.UTC(end.year, end.month - 1, end.day);
  while (cursor.getTime() <= stop) {
    out.push(cursor.toISOString().slice(0, 10));
    cursor.setUTCDate(cursor.getUTCDate() + 1);
  }
  return out;
}
