import type { CoverageQuery, CoverageResponse, ScheduleCoverage } from '../../../src/shared/api/coverage.ts';
import {
  checksWindow,
  computeCoverage,
  localDateReader,
  type CoverageCheckInput,
  type CoverageScheduleInput,
  type CoverageUnitInput,
} from '../../../src/shared/coverage.ts';
import { localDateOf } from '../../../src/shared/schedules.ts';
import { isFailure } from '../../../src/shared/templates/answers.ts';
import type { Answer, TemplateItem } from '../../../src/shared/templates/schema.ts';
import type { Queryable } from '../db/client.ts';
import { notInMyEstablishment } from '../scope.ts';
import { handlers } from '../endpoint-handlers.ts';
import { fromJsonColumn } from '../db/json.ts';
import { frequencyFromColumn, type ScheduleRow } from './schedules.ts';
import { templateFromColumn, type TemplateVersionRow } from './templates.ts';

/** A schedule's row as coverage reads it: when it was archived, its template's title and every version of it. */
type CoverageScheduleRow = Omit<ScheduleRow, 'archived' | 'action_ids'> & {
  template_title: string | null;
  archived_at: Date | null;
  /** Every version of the schedule's template: checks name the version they were made with. */
  version_ids: string[];
};

interface UnitRow {
  id: string;
  name: string;
  created_at: Date;
  archived_at: Date | null;
}

/** A check as the checks query's json_build_object writes it. */
interface CheckRow {
  id: string;
  unitId: string;
  /** The day it is for (checks.day), YYYY-MM-DD. */
  day: string;
  /** JSON of a timestamptz: "2026-11-16T12:00:00+00:00", offset as the session's time zone has it. */
  submittedAt: string;
  supersedes: string | null;
  templateVersionId: string;
  answers: unknown;
  authorName: string;
}

async function schedulesOf(
  db: Queryable,
  establishmentId: string,
  scheduleId: string | undefined,
): Promise<CoverageScheduleRow[]> {
  const rows = await db.query<CoverageScheduleRow>(
    `SELECT s.id, s.template_id, s.frequency, s.performed_by, to_char(s.starts_on, 'YYYY-MM-DD') AS starts_on, s.archived_at,
            ARRAY(SELECT su.unit_id FROM schedule_units su WHERE su.schedule_id = s.id) AS unit_ids,
            ARRAY(SELECT v.id FROM template_versions v WHERE v.template_id = s.template_id) AS version_ids,
            (SELECT v.definition->>'title' FROM template_versions v WHERE v.template_id = s.template_id
             ORDER BY v.version DESC LIMIT 1) AS template_title
     FROM schedules s JOIN templates t ON t.id = s.template_id
     WHERE s.establishment_id = $1 AND ($2::uuid IS NULL OR s.id = $2::uuid)
     ORDER BY t.key, s.created_at`,
    [establishmentId, scheduleId ?? null],
  );
  if (scheduleId && rows.length === 0) {
    throw await notInMyEstablishment(db, 'schedules', scheduleId, 'Schedule', 'That schedule belongs to another establishment.');
  }
  return rows;
}

/** The items of each template version the checks were made with, to tell failed answers. */
async function itemsOfVersions(
  db: Queryable,
  establishmentId: string,
  versionIds: readonly string[],
): Promise<Map<string, TemplateItem[]>> {
  if (versionIds.length === 0) return new Map();
  const rows = await db.query<Pick<TemplateVersionRow, 'id' | 'definition'>>(
    `SELECT v.id, v.definition FROM template_versions v JOIN templates t ON t.id = v.template_id
     WHERE t.establishment_id = $1 AND v.id = ANY($2::uuid[])`,
    [establishmentId, [...versionIds]],
  );
  return new Map(rows.map((r) => [r.id, templateFromColumn(r.definition).sections.flatMap((s) => s.items)]));
}

function hasFailure(items: readonly TemplateItem[] | undefined, answers: unknown): boolean {
  // The answers were validated against this template version when the check was pushed.
  const given = Array.isArray(answers) ? (answers as Answer[]) : [];
  const byItem = new Map(given.map((a) => [a.itemId, a]));
  return (items ?? []).some((item) => isFailure(item, byItem.get(item.id)));
}

/**
 * Coverage of the establishment's recurring checks over a period: every schedule in use during it
 * (or the one asked for), each unit and day, worked out by the shared computeCoverage.
 */
export async function coverageFor(
  db: Queryable,
  establishmentId: string,
  query: CoverageQuery,
  now: Date,
): Promise<CoverageResponse> {
  const { from, to } = query;
  const [here] = await db.query<{ time_zone: string }>('SELECT time_zone FROM establishments WHERE id = $1', [establishmentId]);
  const timeZone = here?.time_zone ?? 'Europe/London';
  const localDate = localDateReader(timeZone);
  const localDateOrNull = (instant: Date | null) => (instant ? localDate(instant) : null);

  const scheduleRows = (await schedulesOf(db, establishmentId, query.scheduleId)).filter(
    // One archived before the period began expected nothing in it; asked for by id, it is shown anyway.
    (s) => query.scheduleId !== undefined || s.archived_at === null || localDate(s.archived_at) > from,
  );
  const schedules = scheduleRows.map((s): CoverageScheduleInput => ({
    id: s.id,
    templateId: s.template_id,
    frequency: frequencyFromColumn(s.frequency),
    unitIds: s.unit_ids,
    startsOn: s.starts_on,
    archivedOn: localDateOrNull(s.archived_at),
  }));
  const rowsById = new Map(scheduleRows.map((s) => [s.id, s]));

  const unitRows = await db.query<UnitRow>('SELECT id, name, created_at, archived_at FROM units WHERE establishment_id = $1', [establishmentId]);
  const units = unitRows.map((u): CoverageUnitInput => ({
    id: u.id,
    name: u.name,
    createdOn: localDate(u.created_at),
    archivedOn: localDateOrNull(u.archived_at),
  }));
  const archivedUnits = new Set(unitRows.filter((u) => u.archived_at !== null).map((u) => u.id));

  // Every check of the schedules' templates on a unit, whoever ran it and however it was started, whose day is in
  // a cycle the period touches (a weekly check done on Tuesday counts for Monday's). By version, with checks.day:
  // that is checks_version_day_idx. One JSON value, not a row per check: for a year of checks PGlite (the default
  // engine) spends about 1 s less this way, PostgreSQL about 0.3 s more (bench/coverage.ts).
  const templateOfVersion = new Map(scheduleRows.flatMap((s) => s.version_ids.map((v): [string, string] => [v, s.template_id])));
  const span = checksWindow(schedules.map((s) => s.frequency), { from, to });
  const [found] = schedules.length === 0 ? [] : await db.query<{ checks: unknown }>(
    `SELECT COALESCE(json_agg(json_build_object(
              'id', c.id, 'unitId', c.unit_id, 'day', c.day, 'submittedAt', c.submitted_at, 'supersedes', c.supersedes,
              'templateVersionId', c.template_version_id, 'answers', c.answers, 'authorName', u.display_name)), '[]'::json) AS checks
     FROM checks c JOIN users u ON u.id = c.author_id
     WHERE c.template_version_id = ANY($2::uuid[]) AND c.kind = 'check' AND c.day BETWEEN $3::date AND $4::date
       AND c.establishment_id = $1 AND c.unit_id IS NOT NULL`,
    [establishmentId, [...templateOfVersion.keys()], span.from, span.to],
  );
  // The shape is the query's own, just above.
  const checkRows = (fromJsonColumn(found?.checks) ?? []) as CheckRow[];
  const items = await itemsOfVersions(db, establishmentId, [...new Set(checkRows.map((c) => c.templateVersionId))]);
  const authors = new Map(checkRows.map((c) => [c.id, c.authorName]));
  const checks = checkRows.flatMap((c): CoverageCheckInput[] => {
    const templateId = templateOfVersion.get(c.templateVersionId);
    if (!templateId) return [];
    return [{
      id: c.id,
      templateId,
      unitId: c.unitId,
      day: c.day,
      submittedAt: new Date(c.submittedAt).toISOString(),
      supersedes: c.supersedes,
      failed: hasFailure(items.get(c.templateVersionId), c.answers),
    }];
  });

  const grids = computeCoverage({ schedules, units, checks, from, to, timeZone, now });
  return {
    from,
    to,
    today: localDateOf(now, timeZone),
    timeZone,
    schedules: grids.map((grid, i): ScheduleCoverage => {
      const row = rowsById.get(grid.scheduleId);
      const input = schedules[i];
      if (!row || !input) throw new Error('coverage: a grid without its schedule');
      return {
        scheduleId: grid.scheduleId,
        templateId: row.template_id,
        templateTitle: row.template_title ?? 'Check',
        frequency: input.frequency,
        performedBy: row.performed_by,
        startsOn: row.starts_on,
        archived: row.archived_at !== null,
        days: grid.days,
        summary: grid.summary,
        units: grid.rows.map((unit) => ({
          unitId: unit.unitId,
          name: unit.unitName,
          archived: archivedUnits.has(unit.unitId),
          summary: unit.summary,
          cells: unit.cells.map((cell) => ({
            state: cell.state,
            expected: cell.expected,
            checks: cell.checks.map(({ day, ...c }) => ({
              ...c,
              // Only when it is not the cell's date: a year's answer is about a tenth smaller.
              ...(day === cell.date ? {} : { day }),
              authorName: authors.get(c.id) ?? 'Unknown',
            })),
          })),
        })),
      };
    }),
  };
}

export const coverageHandlers = handlers({
  // Expected against recorded recurring checks: the head of residence's oversight, and an admin's.
  coverage: ({ query }, { deps, auth, reply }) => {
    // Worked out from live data: an old answer would show a day missed that has since been done.
    void reply.header('cache-control', 'no-store');
    return coverageFor(deps.db, auth().establishmentId, query, deps.clock.now());
  },
});
