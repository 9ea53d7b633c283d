import type { Schedule, TemplateVersionRecord } from './api/capture.ts';
import type { Role } from './roles.ts';
import { addDays, cycleOf, dayOfCheck } from './cycles.ts';
import { isDueOn, type Frequency, type LocalDate } from './schedules.ts';

export interface Person {
  roles: readonly Role[];
  /** The units they look after; empty: all units. */
  unitIds: readonly string[];
}

export interface DueCheck {
  scheduleId: string;
  templateId: string;
  unitId: string;
  date: LocalDate;
  frequency: Frequency;
  actionIds: readonly string[];
}

/**
 * The checks due from a person on a local date: schedules for a role they were given, due that
 * day, on their units, from the schedule's start. Units that are archived (not in `liveUnitIds`)
 * are never due. Only the role given counts: a head of residence may run a duty governor's round
 * (Today offers every check one tap away) but it is the duty governor's to do, not theirs.
 */
export function dueChecksFor(
  person: Person,
  schedules: readonly Schedule[],
  liveUnitIds: ReadonlySet<string>,
  date: LocalDate,
): DueCheck[] {
  const mine = person.unitIds.length > 0 ? new Set(person.unitIds) : null;
  return schedules.flatMap((schedule) => {
    if (schedule.archived || schedule.startsOn > date || !person.roles.includes(schedule.performedBy)) return [];
    if (!isDueOn(schedule.frequency, date)) return [];
    return schedule.unitIds
      .filter((unitId) => liveUnitIds.has(unitId) && (!mine || mine.has(unitId)))
      .map((unitId): DueCheck => {
        const { id: scheduleId, templateId, actionIds, frequency } = schedule;
        return { scheduleId, templateId, unitId, date, frequency, actionIds };
      });
  });
}

/** The newest version of each template still in use: new checks are made with it. */
export function latestVersions(versions: readonly TemplateVersionRecord[]): Map<string, TemplateVersionRecord> {
  const latest = new Map<string, TemplateVersionRecord>();
  for (const v of versions) {
    if (v.archived) continue;
    const current = latest.get(v.templateId);
    if (!current || v.definition.version > current.definition.version) latest.set(v.templateId, v);
  }
  return latest;
}

export type DueState = 'done' | 'in-progress' | 'not-started';

/** A check on the device, as far as Today needs it to tell whether something due was done. */
export interface CheckOnDevice {
  id: string;
  status: 'draft' | 'submitted';
  authorId: string;
  templateVersionId: string | null;
  scheduleId: string | null;
  dueOn: string | null;
  unitId: string | null;
  startedAt: string;
}

export interface DueItemState {
  state: DueState;
  /** A submitted check that did it (anyone's), and the person's own draft of it, to open. */
  submittedId: string | null;
  draftId: string | null;
}

/**
 * Whether a due check was done: by a check started from its schedule, or by any check of the same
 * template on the same unit in the same cycle (that day; for a weekly or monthly check, any day of
 * its week or month so far), however it was started and by whom: coverage counts it the same way.
 * Only the person's own drafts count as in progress.
 */
export function dueItemState(
  item: DueCheck,
  checks: readonly CheckOnDevice[],
  templateOfVersion: ReadonlyMap<string, string>,
  authorId: string,
  timeZone: string,
): DueItemState {
  const cycle = cycleOf(item.frequency, item.date);
  const matching = checks.filter((c) => {
    if (c.unitId !== item.unitId) return false;
    if (c.scheduleId === item.scheduleId && c.dueOn === item.date) return true;
    const templateId = c.templateVersionId ? templateOfVersion.get(c.templateVersionId) : undefined;
    const day = dayOfCheck({ dueOn: c.dueOn, startedAt: c.startedAt, correctsDay: null }, timeZone);
    return templateId === item.templateId && day >= cycle.from && day <= cycle.to;
  });
  const submitted = matching.find((c) => c.status === 'submitted') ?? null;
  const draft = matching.find((c) => c.status === 'draft' && c.authorId === authorId) ?? null;
  const state = dueState([...(submitted ? [submitted] : []), ...(draft ? [draft] : [])]);
  return { state, submittedId: submitted?.id ?? null, draftId: draft?.id ?? null };
}

/** An expected check of a day that has ended with no check submitted for it on this device's knowledge. */
export interface MissedCheck extends DueCheck {
  /** The person's own draft of it, if they started one. */
  draftId: string | null;
}

/**
 * The checks due from a person on each of the `daysBack` days before today that nobody submitted a
 * check for (dueItemState: by any check of its template on its unit in its cycle), newest day
 * first: what Today offers to explain. The server decides for certain when the explanation arrives.
 */
export function missedChecksFor(
  person: Person,
  schedules: readonly Schedule[],
  liveUnitIds: ReadonlySet<string>,
  context: {
    checks: readonly CheckOnDevice[];
    templateOfVersion: ReadonlyMap<string, string>;
    authorId: string;
    timeZone: string;
  },
  today: LocalDate,
  daysBack: number,
): MissedCheck[] {
  const missed: MissedCheck[] = [];
  for (let back = 1; back <= daysBack; back += 1) {
    const date = addDays(today, -back);
    for (const item of dueChecksFor(person, schedules, liveUnitIds, date)) {
      const found = dueItemState(item, context.checks, context.templateOfVersion, context.authorId, context.timeZone);
      if (found.state !== 'done') missed.push({ ...item, draftId: found.draftId });
    }
  }
  return missed;
}

/** Done once any check for it is submitted; in progress while only a draft exists. */
export function dueState(checks: readonly { status: 'draft' | 'submitted' }[]): DueState {
  if (checks.some((c) => c.status === 'submitted')) return 'done';
  return checks.length > 0 ? 'in-progress' : 'not-started';
}

/** An action is overdue when its due date has passed and it is not complete. */
export function isOverdue(action: { due: string | null; status: string }, today: LocalDate): boolean {
  return action.due !== null && action.due < today && action.status !== 'complete' && action.status !== 'archived';
}

/**
 * The actions a check of a template on a unit helps prove: those of every schedule in use of that
 * template on that unit. A check run ad hoc is linked to them as the scheduled one would be.
 */
export function actionsProvedBy(schedules: readonly Schedule[], templateId: string, unitId: string): string[] {
  const proving = schedules.filter((s) => !s.archived && s.templateId === templateId && s.unitIds.includes(unitId));
  const ids = proving.flatMap((s) => s.actionIds);
  return [...new Set(ids)];
}
