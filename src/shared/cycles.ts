import { localDateOf, weekdayOf, type Frequency, type LocalDate } from './schedules.ts';

/**
 * Calendar arithmetic on local dates, the day a check is for, and the cycle it counts in: what
 * Today and coverage agree on. Zod-free and small, so Today (the first screen) can use it.
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function utcDay(date: LocalDate): number {
  const m = ISO_DATE.exec(date);
  if (!m) throw new RangeError(`not a date: ${date}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / 86_400_000;
}

/** The date `days` calendar days after `date` (before, if negative). Calendar arithmetic: no time zones. */
export function addDays(date: LocalDate, days: number): LocalDate {
  return new Date((utcDay(date) + days) * 86_400_000).toISOString().slice(0, 10);
}

/** How many days from `from` to `to`, both included: 1 for one day, 0 or less when `to` is before `from`. */
export function daysInPeriod(from: LocalDate, to: LocalDate): number {
  return utcDay(to) - utcDay(from) + 1;
}

/**
 * One expected day of a schedule on a unit, as a key ("scheduleId/unitId/day"): how explanations
 * are looked up, by coverage, Today, reminders and the server alike.
 */
export function scheduledDayKey(day: { scheduleId: string; unitId: string; date: LocalDate }): string {
  return `${day.scheduleId}/${day.unitId}/${day.date}`;
}

export interface Period {
  from: LocalDate;
  to: LocalDate;
}

/** Monday to Sunday of the week `today` is in. */
export function thisWeek(today: LocalDate): Period {
  const monday = addDays(today, 1 - weekdayOf(today));
  return { from: monday, to: addDays(monday, 6) };
}

export interface CheckDayFacts {
  /** The local date it was due on, when started from a schedule; null for an ad hoc check. */
  dueOn: LocalDate | null;
  /** ISO instant the device started it. */
  startedAt: string;
  /** For a correction, the day of the check it corrects; null otherwise (or when that day is not known). */
  correctsDay: LocalDate | null;
}

/**
 * The local calendar day a check is for: a correction's is that of the check it corrects (it fixes
 * what was recorded, not when, so correcting an ad hoc check the next morning keeps it on its day);
 * a scheduled check's is the day it was due; an ad hoc check's is the day it was started, in the
 * establishment's time zone. The server stores this as checks.day when the check arrives, and
 * migration 0008 wrote the same rule in SQL for the checks stored before.
 */
export function dayOfCheck(facts: CheckDayFacts, timeZone: string): LocalDate {
  return facts.correctsDay ?? facts.dueOn ?? localDateOf(new Date(facts.startedAt), timeZone);
}

export interface Cycle {
  /** First and last day of the cycle, both included. */
  from: LocalDate;
  to: LocalDate;
  /** The one day of the cycle the check is due. */
  dueOn: LocalDate;
}

/**
 * The cycle of a frequency that a day falls in: a daily check's is the day, a weekly check's the
 * week (Monday to Sunday), a monthly check's the calendar month. Each cycle holds exactly one due
 * date (a monthly day past the month's end falls on its last day), so a check done on any day of a
 * cycle is the check for that date: on time until the due date has ended, late after it (the Monday
 * clean done on Tuesday), on time when done earlier in the cycle (a Friday check done on Thursday).
 */
export function cycleOf(frequency: Frequency, day: LocalDate): Cycle {
  switch (frequency.every) {
    case 'day':
      return { from: day, to: day, dueOn: day };
    case 'week': {
      const week = thisWeek(day);
      return { ...week, dueOn: addDays(week.from, frequency.weekday - 1) };
    }
    case 'month': {
      const month = day.slice(0, 8);
      const first = `${month}01`;
      // 31 days after the 1st is always early in the next month.
      const last = addDays(`${addDays(first, 31).slice(0, 8)}01`, -1);
      const dueDay = Math.min(frequency.day, Number(last.slice(8)));
      return { from: first, to: last, dueOn: `${month}${String(dueDay).padStart(2, '0')}` };
    }
  }
}
