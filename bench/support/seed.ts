/**
 * Bulk seeding for the database benchmarks (coverage, overview): an establishment with units, a
 * head of residence and the built-in templates, then thousands of rows per statement through
 * INSERT ... SELECT FROM unnest(...), which both pg and PGlite take as one array per column.
 */
import { hashPassword } from '../../server/src/auth/passwords.ts';
import type { Db, Queryable, SqlParam } from '../../server/src/db/client.ts';
import { migrate } from '../../server/src/db/migrate.ts';
import { ensureBuiltinTemplates } from '../../server/src/services/templates.ts';
import { newId } from '../../src/shared/ids.ts';
import { TemplateVersion, type Answer, type TemplateItem } from '../../src/shared/templates/schema.ts';

/** The seeded head of residence, who signs in to call the routes. */
export const SEED_USERNAME = 'hor.bench';
export const SEED_PASSWORD = 'bench seed password';
/** Rows per statement: large enough that round trips do not count, small enough for one message. */
export const BATCH = 5000;

/** A small seeded generator (mulberry32): the same data on both engines, run after run. */
export function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One array per column, filled a row at a time and inserted a batch at a time. */
export class Columns<Key extends string> {
  readonly values: Record<Key, (string | null)[]>;
  constructor(readonly keys: readonly Key[]) {
    this.values = Object.fromEntries(keys.map((key) => [key, []])) as unknown as Record<Key, (string | null)[]>;
  }

  add(row: Record<Key, string | null>): void {
    for (const key of this.keys) this.values[key].push(row[key]);
  }

  get length(): number {
    const first = this.keys[0];
    return first === undefined ? 0 : this.values[first].length;
  }

  /**
   * Runs `sql` once per batch with `fixed` as its first parameters and then one array per column,
   * in `keys` order. Batches go in order, so a row may refer to one in an earlier batch.
   */
  async insert(db: Queryable, sql: string, fixed: readonly SqlParam[] = []): Promise<void> {
    for (let start = 0; start < this.length; start += BATCH) {
      // Null only where the column allows it: pg and PGlite both send a null array element as SQL NULL.
      const slices = this.keys.map((key) => this.values[key].slice(start, start + BATCH) as string[]);
      await db.query(sql, [...fixed, ...slices]);
    }
  }
}

export interface SeededEstablishment {
  id: string;
  /** The head of residence: author of the seeded evidence and reviewer. */
  userId: string;
  unitIds: string[];
}

/** Migrates an empty database and adds one establishment, its units, a head of residence and the built-in templates. */
export async function seedEstablishment(db: Db, units: number): Promise<SeededEstablishment> {
  await migrate(db);
  const id = newId();
  await db.query("INSERT INTO establishments (id, name) VALUES ($1, 'HMP Benchmark')", [id]);
  const unitIds = Array.from({ length: units }, () => newId());
  await db.query(
    `INSERT INTO units (id, establishment_id, name, created_at)
     SELECT u.id, $1, 'Unit ' || lpad(u.n::text, 2, '0'), '2024-01-01T12:00:00Z' FROM unnest($2::uuid[]) WITH ORDINALITY AS u (id, n)`,
    [id, unitIds],
  );
  const userId = newId();
  await db.query('INSERT INTO users (id, username, display_name, password_hash) VALUES ($1, $2, \'Harper Bench\', $3)', [
    userId, SEED_USERNAME, await hashPassword(SEED_PASSWORD),
  ]);
  await db.query("INSERT INTO memberships (user_id, establishment_id, role) VALUES ($1, $2, 'head-of-residence')", [userId, id]);
  await ensureBuiltinTemplates(db, id);
  return { id, userId, unitIds };
}

export interface SeededTemplate {
  /** The template version's id, which checks name. */
  versionId: string;
  templateId: string;
  key: string;
  items: TemplateItem[];
}

/** The current versions of the establishment's templates with these keys. */
export async function templateVersions(
  db: Queryable,
  establishmentId: string,
  keys: readonly string[],
): Promise<SeededTemplate[]> {
  const rows = await db.query<{ id: string; template_id: string; key: string; definition: unknown }>(
    `SELECT v.id, v.template_id, t.key, v.definition FROM template_versions v JOIN templates t ON t.id = v.template_id
     WHERE t.establishment_id = $1 AND t.key = ANY($2::text[]) ORDER BY t.key, v.version`,
    [establishmentId, keys],
  );
  return rows.map((row) => {
    const definition = TemplateVersion.parse(typeof row.definition === 'string' ? JSON.parse(row.definition) : row.definition);
    return { versionId: row.id, templateId: row.template_id, key: row.key, items: definition.sections.flatMap((s) => s.items) };
  });
}

/** A daily schedule of the template on every unit, from `startsOn`. Returns its id. */
export async function addDailySchedule(
  db: Queryable,
  establishment: SeededEstablishment,
  templateId: string,
  startsOn: string,
): Promise<string> {
  const scheduleId = newId();
  await db.query(
    `INSERT INTO schedules (id, establishment_id, template_id, frequency, performed_by, starts_on)
     VALUES ($1, $2, $3, '{"every":"day"}', 'unit-manager', $4)`,
    [scheduleId, establishment.id, templateId, startsOn],
  );
  await db.query('INSERT INTO schedule_units (schedule_id, unit_id) SELECT $1, unnest($2::uuid[])', [scheduleId, establishment.unitIds]);
  return scheduleId;
}

/** Answers to every item, all passing, or with the first item that can fail failed (with a note). */
export function answersFor(items: readonly TemplateItem[], failing: boolean): Answer[] {
  let failed = false;
  const answers: Answer[] = [];
  for (const item of items) {
    const fail = failing && !failed && (item.kind === 'pass-fail' || (item.kind === 'number' && (item.min !== undefined || item.max !== undefined)));
    if (fail) failed = true;
    const note = fail ? { note: 'Reported to the unit manager and put right.' } : {};
    switch (item.kind) {
      case 'pass-fail':
        answers.push({ itemId: item.id, value: fail ? 'fail' : 'pass', ...note });
        break;
      case 'number': {
        const inRange = item.min ?? item.max ?? 1;
        const outOfRange = item.min !== undefined ? item.min - 5 : (item.max ?? 0) + 5;
        answers.push({ itemId: item.id, value: fail ? outOfRange : inRange, ...note });
        break;
      }
      case 'yes-no':
        answers.push({ itemId: item.id, value: true });
        break;
      case 'choice':
        answers.push({ itemId: item.id, value: item.options[0] ?? null });
        break;
      case 'text':
        answers.push({ itemId: item.id, value: 'Nothing to add.' });
        break;
      case 'photo':
        break;
    }
  }
  return answers;
}

export const CHECK_KEYS = ['id', 'version', 'schedule', 'dueOn', 'unit', 'answers', 'submittedAt', 'supersedes'] as const;
/** Scheduled checks made on one tablet by the establishment's head of residence, started 10 minutes before submitting. */
export type CheckColumns = Columns<(typeof CHECK_KEYS)[number]>;
export const checkColumns = (): CheckColumns => new Columns(CHECK_KEYS);

export async function insertChecks(db: Queryable, establishment: SeededEstablishment, checks: CheckColumns): Promise<void> {
  await checks.insert(
    db,
    `INSERT INTO checks (id, establishment_id, kind, template_version_id, schedule_id, due_on, unit_id, author_id, device_id,
       answers, started_at, submitted_at, received_at, supersedes)
     SELECT r.id, $1, 'check', r.version, r.schedule, r.due_on, r.unit, $2, 'bench-tablet', r.answers::jsonb,
            r.submitted_at - interval '10 minutes', r.submitted_at, r.submitted_at + interval '1 minute', r.supersedes
     FROM unnest($3::uuid[], $4::uuid[], $5::uuid[], $6::date[], $7::uuid[], $8::text[], $9::timestamptz[], $10::uuid[])
          AS r (id, version, schedule, due_on, unit, answers, submitted_at, supersedes)`,
    [establishment.id, establishment.userId],
  );
}
