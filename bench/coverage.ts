/**
 * Coverage for a year: 40 units × 365 days × 3 daily schedules (43,800 expected checks), about
 * 95% done on time and the rest late, with failed items, corrected or missed, inserted with bulk
 * SQL. Then GET /api/coverage for the whole year through the real app (buildApp + inject, signed in
 * as a head of residence), on the embedded PGlite and on a throwaway PostgreSQL cluster.
 * Run: npm run bench:coverage
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildApp } from '../server/src/app.ts';
import { hashPassword } from '../server/src/auth/passwords.ts';
import { DirectoryBlobStore } from '../server/src/blobs.ts';
import { openPglite, openPostgres, type Db } from '../server/src/db/client.ts';
import { migrate } from '../server/src/db/migrate.ts';
import { ensureBuiltinTemplates } from '../server/src/services/templates.ts';
import { CoverageResponse } from '../src/shared/api/coverage.ts';
import { SessionInfo } from '../src/shared/auth.ts';
import { addDays } from '../src/shared/coverage.ts';
import { newId } from '../src/shared/ids.ts';
import { datesBetween } from '../src/shared/schedules.ts';
import { TemplateVersion, type Answer, type TemplateItem } from '../src/shared/templates/schema.ts';
import { startPostgresCluster } from '../tests/support/postgres-cluster.ts';

const UNITS = 40;
const TEMPLATE_KEYS = ['daily-servery-check', 'daily-unit-cleaning', 'duty-governor-round'];
const TO = '2026-11-23';
const FROM = addDays(TO, -364);
// Late evening on the last day: every day of the year but today has ended.
const NOW = new Date(`${TO}T21:00:00Z`);
const RUNS = 5;
const PASSWORD = 'bench coverage password';
const BATCH = 5000;

/** A small seeded generator (mulberry32): the same data on both engines, run after run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function answersFor(items: readonly TemplateItem[], failing: boolean): Answer[] {
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

interface Seeded {
  checks: number;
  expected: number;
}

/** Columns of the checks table, one array per column, for INSERT ... SELECT FROM unnest(...). */
type CheckColumns = Record<'id' | 'version' | 'schedule' | 'dueOn' | 'unit' | 'answers' | 'submittedAt' | 'supersedes', (string | null)[]>;

async function insertChecks(
  db: Db,
  establishment: { id: string; authorId: string },
  columns: CheckColumns,
  rows: [number, number],
): Promise<void> {
  // Null only in supersedes: pg and PGlite both send a null element of a text array as SQL NULL.
  const slice = (column: (string | null)[]) => column.slice(...rows) as string[];
  await db.query(
    `INSERT INTO checks (id, establishment_id, kind, template_version_id, schedule_id, due_on, unit_id, author_id, device_id,
       answers, started_at, submitted_at, received_at, supersedes)
     SELECT r.id, $1, 'check', r.version, r.schedule, r.due_on, r.unit, $2, 'bench-tablet', r.answers::jsonb,
            r.submitted_at - interval '10 minutes', r.submitted_at, r.submitted_at + interval '1 minute', r.supersedes
     FROM unnest($3::uuid[], $4::uuid[], $5::uuid[], $6::date[], $7::uuid[], $8::text[], $9::timestamptz[], $10::uuid[])
          AS r (id, version, schedule, due_on, unit, answers, submitted_at, supersedes)`,
    [
      establishment.id, establishment.authorId,
      ...(['id', 'version', 'schedule', 'dueOn', 'unit', 'answers', 'submittedAt', 'supersedes'] as const).map((key) => slice(columns[key])),
    ],
  );
}

async function seed(db: Db): Promise<Seeded> {
  await migrate(db);
  const establishmentId = newId();
  await db.query("INSERT INTO establishments (id, name) VALUES ($1, 'HMP Benchmark')", [establishmentId]);
  const unitIds = Array.from({ length: UNITS }, () => newId());
  for (const [i, id] of unitIds.entries()) {
    await db.query("INSERT INTO units (id, establishment_id, name, created_at) VALUES ($1, $2, $3, '2024-01-01T12:00:00Z')", [
      id, establishmentId, `Unit ${String(i + 1).padStart(2, '0')}`,
    ]);
  }
  const userId = newId();
  await db.query("INSERT INTO users (id, username, display_name, password_hash) VALUES ($1, 'hor.bench', 'Harper Bench', $2)", [
    userId, await hashPassword(PASSWORD),
  ]);
  await db.query("INSERT INTO memberships (user_id, establishment_id, role) VALUES ($1, $2, 'head-of-residence')", [userId, establishmentId]);
  await ensureBuiltinTemplates(db, establishmentId);
  const versions = await db.query<{ id: string; template_id: string; key: string; definition: unknown }>(
    `SELECT v.id, v.template_id, t.key, v.definition FROM template_versions v JOIN templates t ON t.id = v.template_id
     WHERE t.establishment_id = $1 AND t.key = ANY($2::text[])`,
    [establishmentId, TEMPLATE_KEYS],
  );

  const rand = random(20261123);
  const columns: CheckColumns = {
    id: [], version: [], schedule: [], dueOn: [], unit: [], answers: [], submittedAt: [], supersedes: [],
  };
  const add = (row: Record<keyof CheckColumns, string | null>) => {
    for (const key of Object.keys(columns) as (keyof CheckColumns)[]) columns[key].push(row[key]);
  };
  const days = datesBetween(FROM, TO);
  for (const version of versions) {
    const scheduleId = newId();
    await db.query(
      `INSERT INTO schedules (id, establishment_id, template_id, frequency, performed_by, starts_on)
       VALUES ($1, $2, $3, '{"every":"day"}', 'unit-manager', $4)`,
      [scheduleId, establishmentId, version.template_id, FROM],
    );
    for (const unitId of unitIds) await db.query('INSERT INTO schedule_units (schedule_id, unit_id) VALUES ($1, $2)', [scheduleId, unitId]);
    const definition = TemplateVersion.parse(typeof version.definition === 'string' ? JSON.parse(version.definition) : version.definition);
    const items = definition.sections.flatMap((s) => s.items);
    const passing = JSON.stringify(answersFor(items, false));
    const failing = JSON.stringify(answersFor(items, true));
    for (const unitId of unitIds) {
      for (const day of days) {
        const roll = rand();
        if (roll < 0.03) continue; // missed
        // Mid-morning to late afternoon; a late one is done the next morning.
        const minutes = 8 * 60 + Math.floor(rand() * 9 * 60);
        const late = roll < 0.05;
        const submittedAt = new Date(Date.parse(`${late ? addDays(day, 1) : day}T00:00:00Z`) + minutes * 60_000);
        const failed = roll >= 0.05 && roll < 0.07;
        const id = newId();
        const common = { version: version.id, schedule: scheduleId, dueOn: day, unit: unitId };
        add({ ...common, id, answers: failed ? failing : passing, submittedAt: submittedAt.toISOString(), supersedes: null });
        // About 1% are corrected a few minutes later: counted once.
        if (roll >= 0.07 && roll < 0.08) {
          const correctedAt = new Date(submittedAt.getTime() + 5 * 60_000).toISOString();
          add({ ...common, id: newId(), answers: passing, submittedAt: correctedAt, supersedes: id });
        }
      }
    }
  }
  // A correction comes right after its original: the original is in the same statement or an earlier one.
  for (let start = 0; start < columns.id.length; start += BATCH) {
    await insertChecks(db, { id: establishmentId, authorId: userId }, columns, [start, start + BATCH]);
  }
  await db.exec('ANALYZE');
  return { checks: columns.id.length, expected: versions.length * UNITS * days.length };
}

interface Timing {
  medianMs: number;
  minMs: number;
  bytes: number;
  percent: number | null;
}

async function timeCoverage(db: Db): Promise<Timing> {
  const blobDir = mkdtempSync(path.join(tmpdir(), 'wingcheck-bench-coverage-'));
  const app = await buildApp({ db, blobs: new DirectoryBlobStore(blobDir), clock: { now: () => NOW } });
  try {
    const signIn = await app.inject({ method: 'POST', url: '/api/session', payload: { username: 'hor.bench', password: PASSWORD } });
    const cookie = signIn.cookies.find((c) => c.name === 'wingcheck_session');
    SessionInfo.parse(signIn.json());
    if (!cookie) throw new Error('no session');
    const get = () => app.inject({ method: 'GET', url: `/api/coverage?from=${FROM}&to=${TO}`, headers: { cookie: `${cookie.name}=${cookie.value}` } });
    const first = await get(); // warm-up: query plans, JIT
    if (first.statusCode !== 200) throw new Error(`coverage answered ${first.statusCode}: ${first.body}`);
    const answer = CoverageResponse.parse(first.json());
    const times: number[] = [];
    for (let i = 0; i < RUNS; i += 1) {
      const started = performance.now();
      const res = await get();
      times.push(performance.now() - started);
      if (res.statusCode !== 200) throw new Error(`coverage answered ${res.statusCode}`);
    }
    times.sort((a, b) => a - b);
    const percents = answer.schedules.map((s) => s.summary.percent ?? 0);
    return {
      medianMs: times[Math.floor(times.length / 2)] ?? 0,
      minMs: times[0] ?? 0,
      bytes: first.rawPayload.length,
      percent: percents.length ? Math.round(percents.reduce((a, b) => a + b, 0) / percents.length) : null,
    };
  } finally {
    await app.close();
    rmSync(blobDir, { recursive: true, force: true });
  }
}

function report(engine: string, seeded: Seeded, seedMs: number, timing: Timing): void {
  console.log(
    `${engine}: GET /api/coverage for ${FROM}..${TO} (${UNITS} units × 365 days × 3 daily schedules, ${seeded.expected} expected, `
    + `${seeded.checks} checks): median ${timing.medianMs.toFixed(0)} ms, best ${timing.minMs.toFixed(0)} ms over ${RUNS} `
    + `(after one warm-up); answer ${(timing.bytes / 1024 / 1024).toFixed(1)} MB; mean coverage ${timing.percent ?? '–'}%; seeded in ${(seedMs / 1000).toFixed(1)} s`,
  );
}

async function benchEngine(engine: string, open: () => Promise<Db>): Promise<void> {
  const db = await open();
  try {
    const started = performance.now();
    const seeded = await seed(db);
    const seedMs = performance.now() - started;
    report(engine, seeded, seedMs, await timeCoverage(db));
  } finally {
    await db.close();
  }
}

await benchEngine('PGlite', () => openPglite());
const cluster = await startPostgresCluster();
try {
  await benchEngine('PostgreSQL', () => openPostgres(cluster.adminUrl));
} finally {
  cluster.stop();
}
