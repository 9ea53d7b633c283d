import type { CheckPresence } from '../../../src/shared/api/sync.ts';
import type {
  CoverageCellChecks,
  CoverageChecksQuery,
  CoverageQuery,
  CoverageResponse,
  ScheduleCoverage,
} from '../../../src/shared/api/coverage.ts';
import { compactCoverage, dayGroupsOf, type CheckDayGroup } from '../../../src/shared/coverage-compact.ts';
import {
  addDays,
  checksWindow,
  computeCoverage,
  cycleOf,
  localDateReader,
  type CoverageCheckInput,
  type CoverageScheduleInput,
  type CoverageUnitInput,
  type Period,
} from '../../../src/shared/coverage.ts';
import { datesBetween, localDateOf } from '../../../src/shared/schedules.ts';
import { isFailure } from '../../../src/shared/templates/answers.ts';
import type { Answer, TemplateItem } from '../../../src/shared/templates/schema.ts';
import type { Queryable } from '../db/client.ts';
import { notFound } from '../http-errors.ts';
import { notInMyEstablishment } from '../scope.ts';
import { handlers } from '../endpoint-handlers.ts';
import { fromJsonColumn } from '../db/json.ts';
import { frequencyFromColumn, type ScheduleRow } from './schedules.ts';
import { explanationsOfDay, standingExplanations } from './gaps.ts';
import type { GapStatus } from '../../../src/shared/gap-reasons.ts';
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
  /** Only in a cell's checks: where it was done (checks.presence). */
  presence?: CheckPresence | null;
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

/** Where coverage is worked out: the establishment's time zone, the schedules in use and every unit. */
interface Setting {
  timeZone: string;
  localDate: (instant: Date) => string;
  rows: CoverageScheduleRow[];
  schedules: CoverageScheduleInput[];
  unitRows: UnitRow[];
  units: CoverageUnitInput[];
  /** Every version of the schedules' templates, and its template. */
  templateOfVersion: Map<string, string>;
}

async function settingOf(db: Queryable, establishmentId: string, from: string, scheduleId: string | undefined): Promise<Setting> {
  const [here] = await db.query<{ time_zone: string }>('SELECT time_zone FROM establishments WHERE id = $1', [establishmentId]);
  const timeZone = here?.time_zone ?? 'Europe/London';
  const localDate = localDateReader(timeZone);
  const localDateOrNull = (instant: Date | null) => (instant ? localDate(instant) : null);
  const rows = (await schedulesOf(db, establishmentId, scheduleId)).filter(
    // One archived before the period began expected nothing in it; asked for by id, it is shown anyway.
    (s) => scheduleId !== undefined || s.archived_at === null || localDate(s.archived_at) > from,
  );
  const schedules = rows.map((s): CoverageScheduleInput => ({
    id: s.id,
    templateId: s.template_id,
    frequency: frequencyFromColumn(s.frequency),
    unitIds: s.unit_ids,
    startsOn: s.starts_on,
    archivedOn: localDateOrNull(s.archived_at),
  }));
  const unitRows = await db.query<UnitRow>('SELECT id, name, created_at, archived_at FROM units WHERE establishment_id = $1', [establishmentId]);
  const units = unitRows.map((u): CoverageUnitInput => ({
    id: u.id,
    name: u.name,
    createdOn: localDate(u.created_at),
    archivedOn: localDateOrNull(u.archived_at),
  }));
  const templateOfVersion = new Map(rows.flatMap((s) => s.version_ids.map((v): [string, string] => [v, s.template_id])));
  return { timeZone, localDate, rows, schedules, unitRows, units, templateOfVersion };
}

/**
 * Whether each check has failing answers (isFailure over its template version's items), kept per
 * database for the life of the process: a check's answers and its version's items never change, so
 * this is worked out once per check rather than by reading a year of answers on every request
 * (about 15 MB for 40 units and 3 daily checks). A check deleted by retention is never asked for again.
 */
const failuresByDb = new WeakMap<Queryable, Map<string, boolean>>();
/** About 20 MB at most: a few establishments' years of checks. Past it, the cache starts again. */
const MAX_KEPT_FAILURES = 250_000;

async function failuresOf(db: Queryable, establishmentId: string, checkIds: readonly string[]): Promise<Map<string, boolean>> {
  let kept = failuresByDb.get(db);
  if (!kept) failuresByDb.set(db, (kept = new Map<string, boolean>()));
  const missing = checkIds.filter((id) => !kept.has(id));
  if (missing.length === 0) return kept;
  if (kept.size + missing.length > MAX_KEPT_FAILURES) kept.clear();
  const [found] = await db.query<{ checks: unknown }>(
    `SELECT COALESCE(json_agg(json_build_object('id', c.id, 'version', c.template_version_id, 'answers', c.answers)), '[]'::json) AS checks
     FROM checks c WHERE c.id = ANY($2::uuid[]) AND c.establishment_id = $1`,
    [establishmentId, missing],
  );
  // The shape is the query's own, just above.
  const rows = (fromJsonColumn(found?.checks) ?? []) as { id: string; version: string; answers: unknown }[];
  const items = await itemsOfVersions(db, establishmentId, [...new Set(rows.map((r) => r.version))]);
  for (const row of rows) kept.set(row.id, hasFailure(items.get(row.version), row.answers));
  return kept;
}

/** A row of the checks query: one template and unit. */
interface GroupRow {
  template_id: string;
  unit_id: string;
  /**
   * The checks no correction touches, "," between them: each its id (36 characters) then
   * dayNumber × 1024 + the days from its day to its submission's (0 to 1023), dayNumber from the window's first day.
   */
  simple: string | null;
  /** The checks that correct or are corrected, one by one, for dayGroupsOf. */
  chained: unknown;
}

interface ChainedRow {
  id: string;
  day: string;
  submittedAt: string;
  supersedes: string | null;
}

/**
 * Every check of the schedules' templates on a unit, whoever ran it and however it was started, whose day
 * (checks.day) is in the window, read in one query as few values as possible, and added up per template, unit
 * and day in one pass: what dayGroupsOf works out from checks one by one. Almost every check is no part of a
 * correction: its id, day and how many days later it was submitted say all (the database works out the local
 * date, so no answers or instants cross over). The few in a correction chain come whole and go through
 * dayGroupsOf itself, which decides which stand and when each chain was first submitted.
 */
export async function checkDayGroups(
  db: Queryable,
  establishmentId: string,
  setting: Pick<Setting, 'templateOfVersion' | 'timeZone'>,
  window: Period,
): Promise<CheckDayGroup[]> {
  const entries = [...setting.templateOfVersion];
  if (entries.length === 0) return [];
  const rows = await db.query<GroupRow>(
    `WITH corrected AS (
       SELECT DISTINCT supersedes AS id FROM checks
       WHERE establishment_id = $1 AND supersedes IS NOT NULL AND day BETWEEN $4::date AND $5::date
     )
     SELECT v.template_id, c.unit_id,
            string_agg(c.id::text || (((c.day - $4::date) * 1024
                         + LEAST(GREATEST((c.submitted_at AT TIME ZONE $6)::date - c.day, 0), 1023))::text), ',')
              FILTER (WHERE c.supersedes IS NULL AND x.id IS NULL) AS simple,
            json_agg(json_build_object('id', c.id, 'day', c.day, 'submittedAt', c.submitted_at, 'supersedes', c.supersedes))
              FILTER (WHERE c.supersedes IS NOT NULL OR x.id IS NOT NULL) AS chained
     FROM checks c JOIN unnest($2::uuid[], $3::uuid[]) AS v (version_id, template_id) ON v.version_id = c.template_version_id
       LEFT JOIN corrected x ON x.id = c.id
     WHERE c.establishment_id = $1 AND c.kind = 'check' AND c.unit_id IS NOT NULL AND c.day BETWEEN $4::date AND $5::date
     GROUP BY v.template_id, c.unit_id`,
    [
      establishmentId,
      entries.map(([version]) => version),
      entries.map(([, template]) => template),
      window.from,
      window.to,
      setting.timeZone,
    ],
  );
  // Each entry read once: its id and its packed day (a year is some 43,000 of them).
  const ids: string[] = [];
  const simple = rows.map((row) => {
    const packed: number[] = [];
    for (const entry of row.simple ? row.simple.split(',') : []) {
      ids.push(entry.slice(0, 36));
      packed.push(Number(entry.slice(36)));
    }
    return { row, packed, first: ids.length - packed.length };
  });
  const chained = rows.flatMap((row) => ((fromJsonColumn(row.chained) ?? []) as ChainedRow[]).map((c) => ({ row, c })));
  const failures = await failuresOf(db, establishmentId, [...ids, ...chained.map(({ c }) => c.id)]);

  const dates = datesBetween(window.from, window.to);
  const dateOf = (n: number) => dates[n] ?? addDays(window.from, n);
  const groups: CheckDayGroup[] = [];
  for (const { row, packed, first } of simple) {
    // One group per check: compactCoverage adds up groups of the same day.
    packed.forEach((value, i) => {
      const day = Math.floor(value / 1024);
      const failed = failures.get(ids[first + i] ?? '') ?? false;
      groups.push({
        templateId: row.template_id,
        unitId: row.unit_id,
        day: dateOf(day),
        checks: 1,
        standing: 1,
        failed: failed ? 1 : 0,
        doneBy: failed ? null : dateOf(day + (value % 1024)),
      });
    });
  }
  const chainChecks = chained.map(({ row, c }): CoverageCheckInput => ({
    id: c.id,
    templateId: row.template_id,
    unitId: row.unit_id,
    day: c.day,
    submittedAt: new Date(c.submittedAt).toISOString(),
    supersedes: c.supersedes,
    failed: failures.get(c.id) ?? false,
  }));
  groups.push(...dayGroupsOf(chainChecks, setting.timeZone));
  return groups;
}

/**
 * Coverage of the establishment's recurring checks over a period: every schedule in use during it
 * (or the one asked for), each unit and day, one letter per cell (compactCoverage), from the checks
 * added up in one query.
 */
export async function coverageFor(
  db: Queryable,
  establishmentId: string,
  query: CoverageQuery,
  now: Date,
): Promise<CoverageResponse> {
  const { from, to } = query;
  const setting = await settingOf(db, establishmentId, from, query.scheduleId);
  const { schedules, timeZone } = setting;
  const rowsById = new Map(setting.rows.map((s) => [s.id, s]));
  const archivedUnits = new Set(setting.unitRows.filter((u) => u.archived_at !== null).map((u) => u.id));
  const window = checksWindow(schedules.map((s) => s.frequency), { from, to });
  const groups = schedules.length === 0 ? [] : await checkDayGroups(db, establishmentId, setting, window);
  const standing = schedules.length === 0 ? [] : await standingExplanations(db, establishmentId, from, to);
  const explained = standing.filter((e) => e.status === 'accepted');
  const compact = compactCoverage({ schedules, units: setting.units, groups, explained, from, to, timeZone, now });
  const explanationsOf = new Map<string, { day: string; id: string; status: GapStatus }[]>();
  for (const e of standing) {
    const key = `${e.scheduleId}/${e.unitId}`;
    explanationsOf.set(key, [...(explanationsOf.get(key) ?? []), { day: e.day, id: e.id, status: e.status }]);
  }
  return {
    from,
    to,
    today: localDateOf(now, timeZone),
    timeZone,
    checks: compact.checks,
    checksWithFailures: compact.checksWithFailures,
    schedules: compact.grids.map((grid, i): ScheduleCoverage => {
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
        summary: grid.summary,
        units: grid.rows.map((unit) => ({
          unitId: unit.unitId,
          name: unit.unitName,
          archived: archivedUnits.has(unit.unitId),
          cells: unit.cells,
          summary: unit.summary,
          explanations: explanationsOf.get(`${grid.scheduleId}/${unit.unitId}`) ?? [],
        })),
      };
    }),
  };
}

/**
 * The checks behind one cell of coverage, oldest first, replaced ones included: those of the cycle its
 * day is in (the only ones a cell can hold), placed by computeCoverage over the same period.
 */
export async function coverageCellChecks(
  db: Queryable,
  establishmentId: string,
  query: CoverageChecksQuery,
  now: Date,
): Promise<CoverageCellChecks> {
  const { from, to, day } = query;
  const setting = await settingOf(db, establishmentId, from, query.scheduleId);
  const schedule = setting.schedules[0];
  if (!schedule) throw notFound('Schedule');
  const unit = setting.units.find((u) => u.id === query.unitId);
  if (!unit) throw await notInMyEstablishment(db, 'units', query.unitId, 'Unit', 'That unit belongs to another establishment.');
  const cycle = cycleOf(schedule.frequency, day);
  const [found] = await db.query<{ checks: unknown }>(
    `SELECT COALESCE(json_agg(json_build_object(
              'id', c.id, 'unitId', c.unit_id, 'day', c.day, 'submittedAt', c.submitted_at, 'supersedes', c.supersedes,
              'templateVersionId', c.template_version_id, 'answers', c.answers, 'authorName', u.display_name,
              'presence', c.presence)), '[]'::json) AS checks
     FROM checks c JOIN users u ON u.id = c.author_id
     WHERE c.template_version_id = ANY($2::uuid[]) AND c.kind = 'check' AND c.day BETWEEN $3::date AND $4::date
       AND c.establishment_id = $1 AND c.unit_id = $5`,
    [establishmentId, [...setting.templateOfVersion.keys()], cycle.from, cycle.to, unit.id],
  );
  // The shape is the query's own, just above.
  const checkRows = (fromJsonColumn(found?.checks) ?? []) as CheckRow[];
  const items = await itemsOfVersions(db, establishmentId, [...new Set(checkRows.map((c) => c.templateVersionId))]);
  const rows = new Map(checkRows.map((c) => [c.id, c]));
  const checks = checkRows.map((c): CoverageCheckInput => ({
    id: c.id,
    templateId: schedule.templateId,
    unitId: c.unitId,
    day: c.day,
    submittedAt: new Date(c.submittedAt).toISOString(),
    supersedes: c.supersedes,
    failed: hasFailure(items.get(c.templateVersionId), c.answers),
  }));
  const explanations = await explanationsOfDay(db, establishmentId, { scheduleId: schedule.id, unitId: unit.id, day });
  const [grid] = computeCoverage({ schedules: [schedule], units: [unit], checks, from, to, timeZone: setting.timeZone, now });
  const cell = grid?.rows[0]?.cells.find((c) => c.date === day);
  return {
    explanations,
    checks: (cell?.checks ?? []).map(({ day: checkDay, ...c }) => {
      const row = rows.get(c.id);
      return {
        ...c,
        // Only when it is not the cell's date.
        ...(checkDay === day ? {} : { day: checkDay }),
        authorName: row?.authorName ?? 'Unknown',
        // Only when it was recorded: most checks of a year of history have none, and the answer stays small.
        ...(row?.presence ? { presence: row.presence } : {}),
      };
    }),
  };
}

export const coverageHandlers = handlers({
  // Expected against recorded recurring checks: the head of residence's oversight, and an admin's.
  // Worked out from live data: an old answer would show a day missed that has since been done.
  'coverage': ({ query }, { deps, auth, reply }) => {
    void reply.header('cache-control', 'no-store');
    return coverageFor(deps.db, auth().establishmentId, query, deps.clock.now());
  },
  // The checks behind one cell, read when someone opens it.
  'coverage.checks': ({ query }, { deps, auth, reply }) => {
    void reply.header('cache-control', 'no-store');
    return coverageCellChecks(deps.db, auth().establishmentId, query, deps.clock.now());
  },
});
