import type { CreateScheduleRequest, Schedule, UpdateScheduleRequest } from '../../../src/shared/api/capture.ts';
import { newId } from '../../../src/shared/ids.ts';
import { localDateOf } from '../../../src/shared/schedules.ts';
import { auditAs, type Actor } from '../audit-request.ts';
import { Frequency } from '../../../src/shared/frequency.ts';
import type { Db, Queryable } from '../db/client.ts';
import { fieldError } from '../http-errors.ts';
import { notInMyEstablishment } from '../scope.ts';
import { readBack } from './read-back.ts';
import { handlers } from '../endpoint-handlers.ts';
import { fromJsonColumn } from '../db/json.ts';

/** A schedule's row, with its units and actions; `frequency` is a JSON column (frequencyFromColumn). */
export interface ScheduleRow {
  id: string;
  template_id: string;
  frequency: unknown;
  performed_by: Schedule['performedBy'];
  unit_ids: string[];
  action_ids: string[];
  starts_on: string;
  archived: boolean;
}

/** A stored schedule's frequency, parsed through its schema. */
export const frequencyFromColumn = (frequency: unknown): Frequency => Frequency.parse(fromJsonColumn(frequency));

export async function listSchedules(db: Queryable, establishmentId: string, scheduleId?: string): Promise<Schedule[]> {
  const rows = await db.query<ScheduleRow>(
    `SELECT s.id, s.template_id, s.frequency, s.performed_by, to_char(s.starts_on, 'YYYY-MM-DD') AS starts_on,
            s.archived_at IS NOT NULL AS archived,
            ARRAY(SELECT su.unit_id FROM schedule_units su JOIN units u ON u.id = su.unit_id
                  WHERE su.schedule_id = s.id ORDER BY u.name) AS unit_ids,
            ARRAY(SELECT sa.action_id FROM schedule_actions sa WHERE sa.schedule_id = s.id ORDER BY sa.action_id) AS action_ids
     FROM schedules s JOIN templates t ON t.id = s.template_id
     WHERE s.establishment_id = $1 AND ($2::uuid IS NULL OR s.id = $2::uuid)
     ORDER BY t.key, s.created_at`,
    [establishmentId, scheduleId ?? null],
  );
  return rows.map((r) => ({
    id: r.id,
    templateId: r.template_id,
    frequency: frequencyFromColumn(r.frequency),
    performedBy: r.performed_by,
    unitIds: r.unit_ids,
    actionIds: r.action_ids,
    startsOn: r.starts_on,
    archived: r.archived,
  }));
}

/** Refuses ids of templates, units or actions that are not this establishment's (or do not exist). */
export async function checkScheduleRefs(
  db: Queryable,
  establishmentId: string,
  refs: { templateId?: string; unitIds?: readonly string[]; actionIds?: readonly string[] },
): Promise<void> {
  if (refs.templateId !== undefined) {
    const [template] = await db.query<{ archived: boolean }>(
      'SELECT archived_at IS NOT NULL AS archived FROM templates WHERE id = $1 AND establishment_id = $2',
      [refs.templateId, establishmentId],
    );
    if (!template) throw fieldError('templateId', 'no such template in your establishment.');
    if (template.archived) throw fieldError('templateId', 'that template is archived; restore it first.');
  }
  if (refs.unitIds) {
    const units = await db.query('SELECT 1 FROM units WHERE establishment_id = $1 AND archived_at IS NULL AND id = ANY($2::uuid[])', [
      establishmentId,
      [...refs.unitIds],
    ]);
    if (units.length !== refs.unitIds.length) throw fieldError('unitIds', 'one of the units is archived or not in your establishment.');
  }
  if (refs.actionIds && refs.actionIds.length > 0) {
    const actions = await db.query(
      `SELECT 1 FROM actions a JOIN recommendations r ON r.id = a.recommendation_id JOIN plans p ON p.id = r.plan_id
       WHERE p.establishment_id = $1 AND a.id = ANY($2::uuid[])`,
      [establishmentId, [...refs.actionIds]],
    );
    if (actions.length !== refs.actionIds.length) throw fieldError('actionIds', 'one of the actions is not in your establishment.');
  }
}

/** Replaces a schedule's units and/or linked actions, in the caller's transaction. */
export async function setScheduleLinks(
  tx: Queryable,
  scheduleId: string,
  links: { unitIds?: readonly string[]; actionIds?: readonly string[] },
): Promise<void> {
  if (links.unitIds) {
    await tx.query('DELETE FROM schedule_units WHERE schedule_id = $1', [scheduleId]);
    for (const unitId of links.unitIds) await tx.query('INSERT INTO schedule_units (schedule_id, unit_id) VALUES ($1, $2)', [scheduleId, unitId]);
  }
  if (links.actionIds) {
    await tx.query('DELETE FROM schedule_actions WHERE schedule_id = $1', [scheduleId]);
    for (const actionId of links.actionIds) {
      await tx.query('INSERT INTO schedule_actions (schedule_id, action_id) VALUES ($1, $2)', [scheduleId, actionId]);
    }
  }
}

export interface NewSchedule {
  templateId: string;
  frequency: Frequency;
  performedBy: Schedule['performedBy'];
  unitIds: readonly string[];
  actionIds: readonly string[];
  startsOn: string;
}

export async function insertSchedule(tx: Queryable, establishmentId: string, id: string, schedule: NewSchedule): Promise<void> {
  await tx.query(
    `INSERT INTO schedules (id, establishment_id, template_id, frequency, performed_by, starts_on)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [id, establishmentId, schedule.templateId, JSON.stringify(schedule.frequency), schedule.performedBy, schedule.startsOn],
  );
  await setScheduleLinks(tx, id, schedule);
}

/** A new schedule, starting today in the establishment's time zone unless told otherwise. */
export async function createSchedule(db: Db, actor: Actor, body: CreateScheduleRequest): Promise<Schedule> {
  const establishmentId = actor.auth.establishmentId;
  await checkScheduleRefs(db, establishmentId, body);
  const [here] = await db.query<{ time_zone: string }>('SELECT time_zone FROM establishments WHERE id = $1', [establishmentId]);
  const startsOn = body.startsOn ?? localDateOf(actor.now, here?.time_zone ?? 'Europe/London');
  const id = newId();
  await db.transaction(async (tx) => {
    await insertSchedule(tx, establishmentId, id, { ...body, startsOn });
    await auditAs(tx, actor, { action: 'schedule.create', entityType: 'schedule', entityId: id, details: { ...body, startsOn } });
  });
  return readBack(listSchedules(db, establishmentId, id), `schedule ${id}`);
}

/** Changes how often, by whom and on which units and actions a schedule asks for its check, or archives it. */
export async function updateSchedule(db: Db, actor: Actor, id: string, changes: UpdateScheduleRequest): Promise<Schedule> {
  const establishmentId = actor.auth.establishmentId;
  const [before] = await listSchedules(db, establishmentId, id);
  if (!before) throw await notInMyEstablishment(db, 'schedules', id, 'Schedule', 'That schedule belongs to another establishment.');
  const { frequency, performedBy, unitIds, actionIds, archived } = changes;
  await checkScheduleRefs(db, establishmentId, { unitIds, actionIds });
  await db.transaction(async (tx) => {
    if (frequency) await tx.query('UPDATE schedules SET frequency = $2 WHERE id = $1', [id, JSON.stringify(frequency)]);
    if (performedBy) await tx.query('UPDATE schedules SET performed_by = $2 WHERE id = $1', [id, performedBy]);
    if (archived !== undefined) await tx.query('UPDATE schedules SET archived_at = $2 WHERE id = $1', [id, archived ? actor.now : null]);
    await setScheduleLinks(tx, id, { unitIds, actionIds });
    await auditAs(tx, actor, { action: 'schedule.update', entityType: 'schedule', entityId: id, details: { before, changes } });
  });
  return readBack(listSchedules(db, establishmentId, id), `schedule ${id}`);
}

export const scheduleHandlers = handlers({
  'schedules.list': (_, { deps, auth }) => listSchedules(deps.db, auth().establishmentId),
  'schedules.create': ({ body }, { deps, actor }) => createSchedule(deps.db, actor(), body),
  'schedules.update': ({ params, body }, { deps, actor }) => updateSchedule(deps.db, actor(), params.id, body),
});
