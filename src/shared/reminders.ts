/**
 * Reminders of checks due and overdue, worked out the same way on the tablet (badge and
 * notifications while the app is open) and on the server (Web Push, escalation). Pure: the caller
 * says which checks are settled (done, or explained), from what it knows.
 */
import { addDays } from './cycles.ts';
import { isDueOn, type LocalDate } from './schedules.ts';
import { dueChecksFor, type DueCheck, type Person } from './today.ts';
import { plural } from './words.ts';
import type { Schedule } from './api/capture.ts';

/** A check due today and not done by this local hour is overdue: the afternoon, while the wing can still do it. */
export const OVERDUE_AFTER_HOUR = 16;

/**
 * The notification of a day's overdue checks, as the tablet shows it and the server pushes it: the
 * same title and tag, so that one replaces the other instead of both showing.
 */
export function overdueNotification(today: LocalDate, overdueCount: number): { title: string; tag: string } {
  return { title: `Wingcheck: ${plural(overdueCount, 'check overdue', 'checks overdue')}`, tag: `overdue-${today}` };
}

/** The hour (0–23) at `instant` in `timeZone`. */
export function localHourOf(instant: Date, timeZone: string): number {
  const hour = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', hourCycle: 'h23' }).format(instant);
  return Number(hour);
}

export interface Reminders {
  /** Due today from this person and not settled yet. */
  due: DueCheck[];
  /** Of those and of yesterday's, the ones past their time: today's after OVERDUE_AFTER_HOUR, any of yesterday's. */
  overdue: DueCheck[];
}

/**
 * What to remind a person of at `hour` on `today`: their checks due today not yet settled, and the
 * overdue ones (today's late in the day, and yesterday's never done nor explained).
 */
export function remindersFor(
  person: Person,
  schedules: readonly Schedule[],
  liveUnitIds: ReadonlySet<string>,
  settled: (check: DueCheck) => boolean,
  today: LocalDate,
  hour: number,
): Reminders {
  const due = dueChecksFor(person, schedules, liveUnitIds, today).filter((c) => !settled(c));
  const yesterday = dueChecksFor(person, schedules, liveUnitIds, addDays(today, -1)).filter((c) => !settled(c));
  return { due, overdue: [...(hour >= OVERDUE_AFTER_HOUR ? due : []), ...yesterday] };
}

/** A unit whose daily check went undone two days running: the head of residence hears of it. */
export interface Escalation {
  scheduleId: string;
  templateId: string;
  unitId: string;
  /** The second day missed (yesterday). */
  date: LocalDate;
}

/**
 * The daily checks missed on both of the two days before `today` on a live unit (a day settled by a
 * check or an explanation is not missed: the head of residence sees explanations as they arrive).
 * Only days the schedule had started count.
 */
export function escalationsFor(
  schedules: readonly Schedule[],
  liveUnitIds: ReadonlySet<string>,
  settled: (check: { scheduleId: string; templateId: string; unitId: string; date: LocalDate }) => boolean,
  today: LocalDate,
): Escalation[] {
  const days = [addDays(today, -2), addDays(today, -1)] as const;
  return schedules.flatMap((schedule) => {
    if (schedule.archived || schedule.frequency.every !== 'day' || schedule.startsOn > days[0]) return [];
    return schedule.unitIds
      .filter((unitId) => liveUnitIds.has(unitId))
      .filter((unitId) => days.every((date) => isDueOn(schedule.frequency, date)
        && !settled({ scheduleId: schedule.id, templateId: schedule.templateId, unitId, date })))
      .map((unitId) => ({ scheduleId: schedule.id, templateId: schedule.templateId, unitId, date: days[1] }));
  });
}
