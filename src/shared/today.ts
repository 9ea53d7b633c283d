import type { Schedule, TemplateVersionRecord } from './api/capture.ts';
import { hasAnyRole, type Role } from './roles.ts';
import { isDueOn, type LocalDate } from './schedules.ts';

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
  actionIds: readonly string[];
}

/**
 * The checks due from a person on a local date: schedules for their role (a head of residence also
 * does what a duty governor does), due that day, on their units, from the schedule's start.
 * Units that are archived (not in `liveUnitIds`) are never due.
 */
export function dueChecksFor(
  person: Person,
  schedules: readonly Schedule[],
  liveUnitIds: ReadonlySet<string>,
  date: LocalDate,
): DueCheck[] {
  const mine = person.unitIds.length > 0 ? new Set(person.unitIds) : null;
  return schedules.flatMap((schedule) => {
    if (schedule.archived || schedule.startsOn > date || !hasAnyRole(person.roles, [schedule.performedBy])) return [];
    if (!isDueOn(schedule.frequency, date)) return [];
    return schedule.unitIds
      .filter((unitId) => liveUnitIds.has(unitId) && (!mine || mine.has(unitId)))
      .map((unitId): DueCheck => {
        const { id: scheduleId, templateId, actionIds } = schedule;
        return { scheduleId, templateId, unitId, date, actionIds };
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

/** Done once any check for it is submitted; in progress while only a draft exists. */
export function dueState(checks: readonly { status: 'draft' | 'submitted' }[]): DueState {
  if (checks.some((c) => c.status === 'submitted')) return 'done';
  return checks.length > 0 ? 'in-progress' : 'not-started';
}

/** An action is overdue when its due date has passed and it is not complete. */
export function isOverdue(action: { due: string | null; status: string }, today: LocalDate): boolean {
  return action.due !== null && action.due < today && action.status !== 'complete' && action.status !== 'archived';
}
