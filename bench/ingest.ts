/**
 * Ingest: sustained push throughput of 50 tablets pushing at once to one real server process, on
 * the embedded PGlite and on PostgreSQL with fsync and synchronous commit on (as in production).
 * Each tablet signs in with its own session and device id and pushes check.submit mutations in
 * batches of 25, as the app does (POST /api/sync/push). No photos: photo upload is measured by
 * bench/sync.ts. Each tablet sends one of its batches twice, as after a lost response (half of them
 * one after the other, half while the first is still being applied), so exactly-once is exercised.
 * Before the timed pushes every tablet pushes one batch, all at once (the warm-up round: stored and
 * verified, not timed), as the coverage and overview benchmarks call once before timing: a server
 * process just started runs its code unoptimised and its database connections with cold caches,
 * which is the first seconds after a deploy, not sustained ingest. The round's slowest push is
 * reported beside the figures.
 * Afterwards SQL against the database checks that every check is stored exactly once and that the
 * change log is gapless, and the bench fails if not. On PostgreSQL it also measures storage per
 * check, and runs pgbench on the same cluster (single-row ~1 KB inserts from 50 clients, the
 * database's own rate for the simplest durable write) so the ingest rate is read against it. The
 * scale notes are computed from the measured figures. The tablets send through node:http
 * (bench/support/node-http-fetch.ts), as bench/sync.ts's devices do, not Node's fetch (undici): on
 * this benchmark's two cores the client's CPU is taken from the server and database it measures.
 * Run: npm run bench:ingest (BENCH_INGEST_TABLETS and BENCH_INGEST_PUSHES resize it).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { verifyAudit } from '../server/src/audit.ts';
import { openPglite, openPostgres, type Db, type Queryable } from '../server/src/db/client.ts';
import { DEMO_USERS, seedDemo } from '../server/src/db/demo.ts';
import { migrate } from '../server/src/db/migrate.ts';
import { Unit } from '../src/shared/api/admin.ts';
import { Schedule, TemplateVersionRecord } from '../src/shared/api/capture.ts';
import { PushResponse, type PushedMutation, type PushRequest } from '../src/shared/api/sync.ts';
import { CSRF_HEADER, DEVICE_HEADER, SessionInfo } from '../src/shared/auth.ts';
import { newId } from '../src/shared/ids.ts';
import { PROTOCOL_VERSION, type SubmitCheckPayload } from '../src/shared/mutations.ts';
import type { TemplateItem } from '../src/shared/templates/schema.ts';
import { findPostgresBinDir } from '../tests/support/postgres-binaries.ts';
import { startPostgresCluster } from '../tests/support/postgres-cluster.ts';
import { percentile, report, speedRatio, type BenchRow } from './support/report.ts';
import { answersFor, random } from './support/seed.ts';
import { nodeHttpFetch } from './support/node-http-fetch.ts';
import { BENCH_PASSWORD, startBenchServer, type BenchServer } from './support/server.ts';

const TABLETS = Number(process.env.BENCH_INGEST_TABLETS ?? 50);
const PUSHES = Number(process.env.BENCH_INGEST_PUSHES ?? 8);
/** What the app sends per push (src/sync/run.ts). */
const BATCH = 25;
const CHECKS = TABLETS * PUSHES * BATCH;
/** Pushes per tablet before the timed ones (see the header). */
const WARM_UP_PUSHES = 1;
/** A push that fails is sent again after this, like the app's backoff (shortened), at most ATTEMPTS times. */
const RETRY_MS = 1000;
const ATTEMPTS = 5;
const DATABASE = 'wingcheck_ingest';
/** pgbench beside it: its own database on the same cluster, as many clients as tablets, for this long. */
const PGBENCH_DATABASE = 'pgbench_ingest';
const PGBENCH_CLIENTS = 50;
const PGBENCH_SECONDS = Number(process.env.BENCH_PGBENCH_SECONDS ?? 10);
/** About 1 KB a row: a check's row with its answers is of that order. */
const PGBENCH_ROW_BYTES = 1000;

// National scale, from the brief: establishments, checks and photos a day.
const ESTABLISHMENTS = 120;
const CHECKS_PER_DAY = 20_000;
const PHOTOS_PER_DAY = 50_000;
/** Assumed from the capture pipeline: a photo shrunk on the device to a 2048 px JPEG. */
const PHOTO_BYTES = 300 * 1024;
/** Peak assumption: half a day's checks (one shift's) arrive within the same 15 minutes nationally. */
const PEAK_SHARE = 0.5;
const PEAK_WINDOW_S = 15 * 60;
/** Headroom wanted over that peak for pulls, reviews, reports and bad days. */
const SAFETY = 10;

const benchStarted = performance.now();
/** Setup and checking take longer than the pushes: the log says where the time went. */
function phase(what: string): void {
  console.log(`[${((performance.now() - benchStarted) / 1000).toFixed(1)} s] ${what}`);
}

const pick = <T>(rand: () => number, items: readonly T[]): T => {
  const item = items[Math.floor(rand() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
};

// ---- Tablets --------------------------------------------------------------------------------

interface Session {
  deviceId: string;
  headers: Record<string, string>;
}

async function signIn(base: string, username: string): Promise<Session> {
  // The device id is a UUID the app makes once per device; the server labels the session with it.
  const deviceId = newId();
  const res = await nodeHttpFetch(`${base}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [DEVICE_HEADER]: deviceId },
    body: JSON.stringify({ username, password: BENCH_PASSWORD }),
  });
  if (!res.ok) throw new Error(`sign-in of ${username} answered ${res.status}: ${await res.text()}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const info = SessionInfo.parse(await res.json());
  return {
    deviceId,
    headers: { 'cookie': cookie, 'content-type': 'application/json', [CSRF_HEADER]: info.csrfToken, [DEVICE_HEADER]: deviceId },
  };
}

/** A check a tablet can make: a live schedule's template version, units and linked actions. */
interface CheckKind {
  templateVersionId: string;
  scheduleId: string;
  units: { id: string; landings: string[] }[];
  actionIds: string[];
  items: TemplateItem[];
}

async function checkKinds(base: string, session: Session): Promise<CheckKind[]> {
  const get = async (url: string): Promise<unknown> => {
    const res = await nodeHttpFetch(`${base}${url}`, { headers: session.headers });
    if (!res.ok) throw new Error(`GET ${url} answered ${res.status}`);
    return res.json();
  };
  const versions = z.array(TemplateVersionRecord).parse(await get('/api/templates'));
  const schedules = z.array(Schedule).parse(await get('/api/schedules'));
  const units = z.array(Unit).parse(await get('/api/units'));
  const kinds: CheckKind[] = [];
  for (const schedule of schedules.filter((s) => !s.archived)) {
    const latest = versions
      .filter((v) => v.templateId === schedule.templateId && !v.archived)
      .sort((a, b) => b.definition.version - a.definition.version)[0];
    if (!latest) continue;
    const items = latest.definition.sections.flatMap((s) => s.items);
    // No photos in this bench: a template that requires one could not be completed.
    if (items.some((i) => i.kind === 'photo' && i.required)) continue;
    kinds.push({
      templateVersionId: latest.id,
      scheduleId: schedule.id,
      units: units.filter((u) => schedule.unitIds.includes(u.id)).map((u) => ({ id: u.id, landings: u.landings })),
      actionIds: schedule.actionIds,
      items,
    });
  }
  if (kinds.length === 0) throw new Error('the demo establishment has no schedule a check can be made for');
  return kinds;
}

type CheckMutation = PushedMutation & { payload: SubmitCheckPayload };

interface Tablet extends Session {
  /** Pushed in the warm-up round, before the timed pushes. */
  warmUp: CheckMutation[][];
  batches: CheckMutation[][];
  /** The batch sent twice, as after a lost response. */
  resendAt: number;
  /** Sent again while the first is still being applied (a client timeout), else after it. */
  concurrentResend: boolean;
}

function makeTablet(session: Session, index: number, kinds: readonly CheckKind[]): Tablet {
  const rand = random(20261123 + index);
  const today = new Date().toISOString().slice(0, 10);
  const batches: CheckMutation[][] = [];
  let seq = 0;
  for (let b = 0; b < WARM_UP_PUSHES + PUSHES; b += 1) {
    const batch: CheckMutation[] = [];
    for (let i = 0; i < BATCH; i += 1) {
      const kind = pick(rand, kinds);
      const unit = pick(rand, kind.units);
      const submitted = Date.now() - Math.floor(rand() * 8 * 3600_000);
      const payload: SubmitCheckPayload = {
        checkId: newId(),
        templateVersionId: kind.templateVersionId,
        scheduleId: kind.scheduleId,
        dueOn: today,
        unitId: unit.id,
        landing: unit.landings.length ? pick(rand, unit.landings) : null,
        actionIds: kind.actionIds,
        // About one check in twenty finds something wrong.
        answers: answersFor(kind.items, rand() < 0.05),
        photos: [],
        startedAt: new Date(submitted - (3 + Math.floor(rand() * 12)) * 60_000).toISOString(),
        submittedAt: new Date(submitted).toISOString(),
        supersedes: null,
      };
      seq += 1;
      batch.push({ id: newId(), clientId: session.deviceId, seq, type: 'check.submit', payload, createdAt: payload.submittedAt });
    }
    batches.push(batch);
  }
  return {
    ...session,
    warmUp: batches.slice(0, WARM_UP_PUSHES),
    batches: batches.slice(WARM_UP_PUSHES),
    resendAt: Math.floor(rand() * PUSHES),
    concurrentResend: index % 2 === 1,
  };
}

// ---- Driving the pushes ---------------------------------------------------------------------

interface Ledger {
  latencies: number[];
  errors: string[];
  /** How many times each mutation was answered `applied`: exactly once is the point. */
  applied: Map<string, number>;
  duplicates: number;
}

const sleep = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms);
  });

/** One push; true if every mutation was answered applied or duplicate. */
async function pushOnce(base: string, tablet: Tablet, batch: PushedMutation[], ledger: Ledger): Promise<boolean> {
  const body: PushRequest = { clientId: tablet.deviceId, protocol: PROTOCOL_VERSION, mutations: batch };
  const json = JSON.stringify(body);
  const started = performance.now();
  try {
    const res = await nodeHttpFetch(`${base}/api/sync/push`, { method: 'POST', headers: tablet.headers, body: json });
    const text = await res.text();
    ledger.latencies.push(performance.now() - started);
    if (!res.ok) {
      ledger.errors.push(`HTTP ${res.status}: ${text.slice(0, 200)}`);
      return false;
    }
    const { results } = PushResponse.parse(JSON.parse(text));
    let ok = results.length === batch.length;
    for (const result of results) {
      if (result.status === 'applied') ledger.applied.set(result.id, (ledger.applied.get(result.id) ?? 0) + 1);
      else if (result.status === 'duplicate') ledger.duplicates += 1;
      else {
        ok = false;
        ledger.errors.push(`${result.status}: ${result.reason ?? ''}`);
      }
    }
    return ok;
  } catch (error) {
    ledger.errors.push(error instanceof Error ? error.message : String(error));
    return false;
  }
}

/** Sends a batch until the server has taken all of it, as the app's outbox does. */
async function push(base: string, tablet: Tablet, batch: PushedMutation[], ledger: Ledger): Promise<void> {
  for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
    if (await pushOnce(base, tablet, batch, ledger)) return;
    await sleep(RETRY_MS);
  }
  throw new Error(`a batch was refused ${ATTEMPTS} times: ${ledger.errors.at(-1) ?? ''}`);
}

async function runTablet(base: string, tablet: Tablet, ledger: Ledger): Promise<void> {
  for (const [i, batch] of tablet.batches.entries()) {
    if (i === tablet.resendAt && tablet.concurrentResend) {
      await Promise.all([push(base, tablet, batch, ledger), push(base, tablet, batch, ledger)]);
    } else {
      await push(base, tablet, batch, ledger);
      // The answer was "lost": the outbox still starts with this batch, so it goes again.
      if (i === tablet.resendAt) await push(base, tablet, batch, ledger);
    }
  }
}

interface Ingest {
  /** Every check and mutation pushed, the warm-up round's included: all are verified. */
  checkIds: string[];
  mutationIds: string[];
  actionLinks: number;
  /** The checks of the timed pushes, which the rate is of. */
  timedChecks: number;
  wallMs: number;
  /** The warm-up round on the fresh server: its pushes' latencies (not in `latencies`). */
  warmUpLatencies: number[];
  pushes: number;
  duplicates: number;
  latencies: number[];
  errors: string[];
  serverCpuS: number | null;
  /** The machine's 1-minute load average when the pushes ended: other work on it slows everything. */
  load: number;
}

/** Finds the server process by its port, to read its CPU time (a diagnostic; null if unreadable). */
function processCpuSeconds(match: (cmdline: string, environ: string) => boolean): number | null {
  let total: number | null = null;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (!match(cmdline, readFileSync(`/proc/${pid}/environ`, 'utf8'))) continue;
      // Fields after "pid (comm) ": utime and stime are the 12th and 13th, in clock ticks of 1/100 s.
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      total = (total ?? 0) + (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      // Gone, or not ours to read.
    }
  }
  return total;
}

async function ingest(server: BenchServer, beforeStart: () => Promise<void> = () => Promise.resolve()): Promise<Ingest> {
  const sessions = await Promise.all(
    Array.from({ length: TABLETS }, (_, i) => signIn(server.url, DEMO_USERS[i % DEMO_USERS.length]?.username ?? 'so.demo')),
  );
  phase(`${TABLETS} tablets signed in`);
  const first = sessions[0];
  if (!first) throw new Error('no tablets');
  const kinds = await checkKinds(server.url, first);
  const tablets = sessions.map((s, i) => makeTablet(s, i, kinds));
  const timed = tablets.flatMap((t) => t.batches.flat());
  const mutations = [...tablets.flatMap((t) => t.warmUp.flat()), ...timed];
  const ledger: Ledger = { latencies: [], errors: [], applied: new Map(), duplicates: 0 };
  const port = new URL(server.url).port;
  const serverCpu = () => processCpuSeconds((cmd, env) => cmd.includes('server/src/index.ts') && env.includes(`\0PORT=${port}\0`));
  await Promise.all(tablets.map(async (t) => {
    for (const batch of t.warmUp) await push(server.url, t, batch, ledger);
  }));
  const warmUpLatencies = ledger.latencies.splice(0);
  phase(`warm-up round: ${warmUpLatencies.length} pushes, the slowest ${Math.round(Math.max(...warmUpLatencies))} ms`);
  await beforeStart();
  const cpuBefore = serverCpu();
  const started = performance.now();
  await Promise.all(tablets.map((t) => runTablet(server.url, t, ledger)));
  const wallMs = performance.now() - started;
  const cpuAfter = serverCpu();
  phase(`pushes done: ${ledger.latencies.length} in ${(wallMs / 1000).toFixed(1)} s`);

  // What the server answered: no mutation applied twice; each applied once unless its answer was lost to an error.
  const twice = mutations.filter((m) => (ledger.applied.get(m.id) ?? 0) > 1);
  if (twice.length) throw new Error(`${twice.length} mutations were answered "applied" more than once`);
  const never = mutations.filter((m) => !ledger.applied.has(m.id));
  if (never.length && ledger.errors.length === 0) throw new Error(`${never.length} mutations were never answered "applied"`);
  if (ledger.duplicates < TABLETS * BATCH) throw new Error(`only ${ledger.duplicates} duplicates answered for ${TABLETS * BATCH} re-sent`);
  return {
    checkIds: mutations.map((m) => m.payload.checkId),
    mutationIds: mutations.map((m) => m.id),
    actionLinks: mutations.reduce((sum, m) => sum + m.payload.actionIds.length, 0),
    timedChecks: timed.length,
    wallMs,
    warmUpLatencies,
    pushes: ledger.latencies.length,
    duplicates: ledger.duplicates,
    latencies: ledger.latencies,
    errors: ledger.errors,
    serverCpuS: cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore,
    load: loadavg()[0] ?? 0,
  };
}

// ---- Verifying with SQL ---------------------------------------------------------------------

interface Verified {
  checks: number;
  changeSeq: number;
}

async function one<Row extends object>(db: Queryable, sql: string, params: (string | readonly string[])[] = []): Promise<Row> {
  const [row] = await db.query<Row>(sql, params);
  if (!row) throw new Error(`no row from ${sql}`);
  return row;
}

/**
 * Every submitted check stored exactly once, every mutation recorded once, the change log gapless.
 * Counted among the run's own ids: the embedded server's demo comes with six weeks of history.
 */
async function verify(db: Queryable, run: Ingest): Promise<Verified> {
  const problems: string[] = [];
  const expect = (what: string, got: number, want: number) => {
    if (got !== want) problems.push(`${what}: ${got}, expected ${want}`);
  };
  const checks = await one<{ total: number; distinct: number }>(
    db,
    'SELECT count(*)::int AS total, count(DISTINCT id)::int AS distinct FROM checks WHERE id = ANY($1::uuid[])',
    [run.checkIds],
  );
  expect('checks stored', checks.total, run.checkIds.length);
  expect('distinct checks stored', checks.distinct, run.checkIds.length);
  const missing = await one<{ n: number }>(
    db,
    'SELECT count(*)::int AS n FROM unnest($1::uuid[]) AS s (id) WHERE NOT EXISTS (SELECT 1 FROM checks c WHERE c.id = s.id)',
    [run.checkIds],
  );
  expect('submitted checks missing', missing.n, 0);
  const mutations = await one<{ total: number; applied: number; missing: number }>(
    db,
    `SELECT (SELECT count(*)::int FROM applied_mutations WHERE id = ANY($1::uuid[])) AS total,
            (SELECT count(*)::int FROM applied_mutations WHERE id = ANY($1::uuid[]) AND status = 'applied') AS applied,
            (SELECT count(*)::int FROM unnest($1::uuid[]) AS s (id) WHERE NOT EXISTS (SELECT 1 FROM applied_mutations m WHERE m.id = s.id)) AS missing`,
    [run.mutationIds],
  );
  expect('applied_mutations rows', mutations.total, run.mutationIds.length);
  expect('applied_mutations applied', mutations.applied, run.mutationIds.length);
  expect('mutations unrecorded', mutations.missing, 0);
  const links = await one<{ n: number }>(db, 'SELECT count(*)::int AS n FROM check_actions WHERE check_id = ANY($1::uuid[])', [run.checkIds]);
  expect('check_actions rows', links.n, run.actionLinks);
  // Gapless: each establishment's seqs are exactly 1..change_seq, and each check appears once.
  const gaps = await one<{ bad: number; total: number; seq: number }>(
    db,
    `SELECT (SELECT count(*)::int FROM establishments e
             WHERE e.change_seq <> (SELECT count(*) FROM changes c WHERE c.establishment_id = e.id)
                OR e.change_seq <> coalesce((SELECT max(seq) FROM changes c WHERE c.establishment_id = e.id), 0)
                OR (SELECT min(seq) FROM changes c WHERE c.establishment_id = e.id) <> 1) AS bad,
            (SELECT count(*)::int FROM changes) AS total,
            (SELECT sum(change_seq)::int FROM establishments) AS seq`,
  );
  expect('establishments whose change log has a gap', gaps.bad, 0);
  const logged = await one<{ rows: number; distinct: number; missing: number }>(
    db,
    `SELECT count(*)::int AS rows, count(DISTINCT c.entity_id)::int AS distinct,
            (SELECT count(*)::int FROM unnest($1::text[]) AS s (id)
             LEFT JOIN changes k ON k.entity = 'check' AND k.entity_id = s.id WHERE k.entity_id IS NULL) AS missing
     FROM changes c WHERE c.entity = 'check' AND c.entity_id = ANY($1::text[])`,
    [run.checkIds],
  );
  expect('check changes logged', logged.rows, run.checkIds.length);
  expect('distinct checks in the change log', logged.distinct, run.checkIds.length);
  expect('checks missing from the change log', logged.missing, 0);
  // The audit chain, appended a push at a time by concurrent transactions, still verifies end to end.
  for (const { id } of await db.query<{ id: string }>('SELECT id::text AS id FROM establishments')) {
    const chain = await verifyAudit(db, id);
    if (!chain.ok) problems.push(`the audit chain of establishment ${id} breaks at entry ${chain.brokenAt}: ${chain.reason}`);
  }
  if (problems.length) throw new Error(`exactly-once or gapless change log not verified:\n  ${problems.join('\n  ')}`);
  return { checks: checks.total, changeSeq: gaps.seq };
}

// ---- Engines --------------------------------------------------------------------------------

interface EngineRun {
  engine: string;
  run: Ingest;
  verified: Verified;
}

async function stopAndWait(server: BenchServer): Promise<void> {
  server.stop();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error('the server did not exit within 30 s of being stopped'));
    }, 30_000);
  });
  try {
    await Promise.race([server.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function onPglite(): Promise<EngineRun> {
  // Our own data folder, kept past stop() so the database can be read once the server has closed it.
  const dataDir = mkdtempSync(path.join(tmpdir(), 'wingcheck-bench-ingest-'));
  const server = await startBenchServer({ WINGCHECK_DATA_DIR: dataDir });
  phase('PGlite: server started');
  try {
    const run = await ingest(server);
    await stopAndWait(server);
    const db = await openPglite({ dataDir: path.join(dataDir, 'pglite') });
    try {
      const verified = await verify(db, run);
      phase('PGlite: verified with SQL');
      return { engine: 'PGlite', run, verified };
    } finally {
      await db.close();
    }
  } finally {
    await stopAndWait(server);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

interface Storage {
  before: number;
  after: number;
  tables: Record<string, number>;
}

const STORAGE_TABLES = ['checks', 'check_actions', 'check_photos', 'applied_mutations', 'changes'] as const;

/** Tallies what PostgreSQL's backends for the bench database are doing, sampled every 50 ms. */
function sampleWaits(admin: Db): { stop: () => Promise<Map<string, number>> } {
  const tally = new Map<string, number>();
  const state = { running: true };
  const loop = (async () => {
    while (state.running) {
      const rows = await admin.query<{ what: string }>(
        `SELECT CASE WHEN state = 'active' THEN coalesce(wait_event_type || ':' || wait_event, 'CPU') ELSE state END AS what
         FROM pg_stat_activity WHERE datname = $1 AND backend_type = 'client backend' AND state <> 'idle'`,
        [DATABASE],
      );
      for (const { what } of rows) tally.set(what, (tally.get(what) ?? 0) + 1);
      await sleep(50);
    }
  })();
  return {
    stop: async () => {
      state.running = false;
      await loop;
      return tally;
    },
  };
}

interface Pgbench {
  rowsPerSecond: number;
  latencyMs: number;
}

/**
 * pgbench on the same cluster: PGBENCH_CLIENTS clients each inserting one ~1 KB row per transaction
 * (autocommit, fsync on) for PGBENCH_SECONDS, into a table of its own database. Its rate is what
 * this PostgreSQL on this machine does with the simplest durable write, the yardstick for ingest.
 */
async function runPgbench(admin: Db, adminUrl: string): Promise<Pgbench> {
  const bin = findPostgresBinDir();
  if (!bin) throw new Error('PostgreSQL binaries not found: pgbench is needed beside ingest');
  await admin.exec(`CREATE DATABASE ${PGBENCH_DATABASE}`);
  const url = new URL(adminUrl);
  const target = await openPostgres(adminUrl.replace(/\/postgres$/, `/${PGBENCH_DATABASE}`), { max: 1 });
  const dir = mkdtempSync(path.join(tmpdir(), 'wingcheck-pgbench-'));
  try {
    await target.exec('CREATE TABLE rows (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(), payload text NOT NULL)');
    const script = path.join(dir, 'insert.sql');
    // Stored as it is: a row under 2 KB is neither compressed nor moved out of line (TOAST).
    writeFileSync(script, `INSERT INTO rows (payload) VALUES (repeat('x', ${PGBENCH_ROW_BYTES}));\n`);
    const args = [
      '-n', '-c', String(PGBENCH_CLIENTS), '-j', String(Math.min(PGBENCH_CLIENTS, cpus().length)), '-T', String(PGBENCH_SECONDS),
      '-f', script, '-h', url.hostname, '-p', url.port, '-U', url.username || 'postgres', PGBENCH_DATABASE,
    ];
    const output = await new Promise<string>((resolve, reject) => {
      execFile(path.join(bin, 'pgbench'), args, { encoding: 'utf8' }, (error, stdout, stderr) => {
        if (error) reject(new Error(`pgbench failed: ${error.message}\n${stderr}`));
        else resolve(`${stdout}\n${stderr}`);
      });
    });
    const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(output)?.[1];
    const latency = /latency average = ([\d.]+) ms/.exec(output)?.[1];
    if (!tps || !latency) throw new Error(`pgbench printed no rate:\n${output}`);
    const [{ n } = { n: 0 }] = await target.query<{ n: number }>('SELECT count(*)::int AS n FROM rows');
    if (n === 0) throw new Error('pgbench inserted no rows');
    return { rowsPerSecond: Number(tps), latencyMs: Number(latency) };
  } finally {
    await target.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

interface PostgresRun extends EngineRun {
  storage: Storage;
  version: string;
  waits: Map<string, number>;
  pgbench: Pgbench;
}

async function onPostgres(): Promise<PostgresRun> {
  const cluster = await startPostgresCluster({ durable: true });
  try {
    const admin = await openPostgres(cluster.adminUrl, { max: 2 });
    try {
      await admin.exec(`CREATE DATABASE ${DATABASE}`);
      const url = cluster.adminUrl.replace(/\/postgres$/, `/${DATABASE}`);
      // The server seeds the demo only on PGlite: seed it here so the same users and schedules exist.
      const seedDb = await openPostgres(url);
      try {
        await migrate(seedDb);
        await seedDemo(seedDb, { usersPassword: BENCH_PASSWORD });
      } finally {
        await seedDb.close();
      }
      const { server_version: version } = await one<{ server_version: string }>(admin, 'SHOW server_version');
      const size = async () => Number((await one<{ size: string }>(admin, 'SELECT pg_database_size($1)::text AS size', [DATABASE])).size);
      phase('PostgreSQL: cluster started, demo seeded');
      const server = await startBenchServer({ DATABASE_URL: url });
      phase('PostgreSQL: server started');
      // Measured once the tablets are signed in, right before the pushes start.
      const probe: { before: number; sampler: ReturnType<typeof sampleWaits> | null } = { before: 0, sampler: null };
      let run: Ingest;
      let waits = new Map<string, number>();
      try {
        run = await ingest(server, async () => {
          probe.before = await size();
          probe.sampler = sampleWaits(admin);
        });
      } finally {
        if (probe.sampler) waits = await probe.sampler.stop();
        await stopAndWait(server);
      }
      const db = await openPostgres(url, { max: 2 });
      try {
        const verified = await verify(db, run);
        phase('PostgreSQL: verified with SQL');
        const tables: Record<string, number> = {};
        for (const table of STORAGE_TABLES) {
          tables[table] = Number((await one<{ size: string }>(db, 'SELECT pg_total_relation_size($1::regclass)::text AS size', [table])).size);
        }
        const storage = { before: probe.before, after: await size(), tables };
        // After ingest, with the server stopped: the two never share the machine.
        const pgbench = await runPgbench(admin, cluster.adminUrl);
        phase(`PostgreSQL: pgbench ${whole(pgbench.rowsPerSecond)} rows/s`);
        return { engine: `PostgreSQL ${version.split(' ')[0] ?? version} (fsync on)`, run, verified, storage, version, waits, pgbench };
      } finally {
        await db.close();
      }
    } finally {
      await admin.close();
    }
  } finally {
    cluster.stop();
  }
}

// ---- Report ---------------------------------------------------------------------------------

const whole = (n: number) => Math.round(n).toLocaleString('en-GB');
const rate = (r: EngineRun) => r.run.timedChecks / (r.run.wallMs / 1000);
/** Checks stored per second against pgbench's rows per second on the same cluster, in whole percent. */
const percentOfPgbench = (r: PostgresRun) => Math.round((100 * rate(r)) / r.pgbench.rowsPerSecond);
/** Three significant figures, for projections that should not look more exact than they are. */
const approx = (n: number) => Number(n.toPrecision(3)).toLocaleString('en-GB');
const ms = (n: number) => `${whole(n)} ms`;

function bytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value < 10 && unit > 0 ? 1 : 0)} ${units[unit] ?? 'B'}`;
}

function figure(r: EngineRun): string {
  const l = r.run.latencies;
  const cpu = r.run.serverCpuS === null ? '' : `; server process CPU ${Math.round((100 * r.run.serverCpuS) / (r.run.wallMs / 1000))}% of a core`;
  const load = `; load average ${r.run.load.toFixed(1)} on ${cpus().length} cores`;
  const warmUp = `after a warm-up round of ${whole(r.run.warmUpLatencies.length)} pushes on the fresh server, not timed, its slowest ${ms(Math.max(...r.run.warmUpLatencies))}`;
  return `${whole(rate(r))} checks/s (${whole(r.run.timedChecks)} in ${(r.run.wallMs / 1000).toFixed(1)} s, ${warmUp}); push p50 ${ms(percentile(l, 50))}, `
    + `p95 ${ms(percentile(l, 95))}, p99 ${ms(percentile(l, 99))} over ${whole(r.run.pushes)} pushes; ${r.run.errors.length} errors; `
    + `${whole(r.run.duplicates)} re-sent checks answered "duplicate"; `
    + `exactly-once verified by SQL (${whole(r.verified.checks)} stored once, change log 1..${whole(r.verified.changeSeq)} gapless, audit chain verified)${cpu}${load}`;
}

function scaleNotes(pg: Awaited<ReturnType<typeof onPostgres>>, lite: EngineRun): string {
  const pgRate = rate(pg);
  const liteRate = rate(lite);
  const average = CHECKS_PER_DAY / 86_400;
  const peak = (CHECKS_PER_DAY * PEAK_SHARE) / PEAK_WINDOW_S;
  const headroom = pgRate / peak;
  // Measured from after the warm-up round: the timed checks' growth.
  const perCheck = (pg.storage.after - pg.storage.before) / pg.run.timedChecks;
  const tableBytes = Object.values(pg.storage.tables).reduce((a, b) => a + b, 0);
  const checksYear = CHECKS_PER_DAY * 365 * perCheck;
  const photosYear = PHOTOS_PER_DAY * 365 * PHOTO_BYTES;
  const photoPeak = (PHOTOS_PER_DAY * PEAK_SHARE * PHOTO_BYTES) / PEAK_WINDOW_S;
  const tables = Object.entries(pg.storage.tables).map(([t, b]) => `${t} ${bytes(b)}`).join(', ');
  const totalWaits = [...pg.waits.values()].reduce((a, b) => a + b, 0);
  const waits = [...pg.waits.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 4)
    .map(([what, n]) => `${what} ${Math.round((100 * n) / Math.max(1, totalWaits))}%`)
    .join(', ');
  const perServer = Math.max(1, Math.floor((ESTABLISHMENTS * headroom) / SAFETY));
  const regional = `one server per about ${perServer} establishments (${Math.ceil(ESTABLISHMENTS / perServer)} servers)`;
  const photos = 'Photos go to object storage either way (today the server keeps blobs in a folder, `DirectoryBlobStore`: '
    + 'national scale needs an object-store `BlobStore` or a large shared volume), with PostgreSQL holding only their hashes and metadata.';
  let conclusion: string;
  if (headroom >= SAFETY) {
    conclusion = `one PostgreSQL like this one takes the whole country's checks with ${headroom.toFixed(0)}× headroom over the assumed peak `
      + `(${SAFETY}× is the margin wanted for pulls, reviews and reports, not measured here, and bad days), likely more once the load is spread over `
      + `${ESTABLISHMENTS} establishments' counter rows: regional servers are not needed for throughput. ${photos}`;
  } else if (headroom >= 1) {
    conclusion = `one PostgreSQL like this one already covers the assumed national peak ${headroom.toFixed(1)}× over, but not with the ${SAFETY}× margin wanted. `
      + `The measured rate is a floor (one establishment's counter row, on a machine with load average ${pg.run.load.toFixed(1)} on ${cpus().length} cores), `
      + 'so one national PostgreSQL on a dedicated host is likely enough; confirm it there, with tablets spread over establishments, before relying on it, '
      + `or plan ${regional}. ${photos}`;
  } else {
    conclusion = `one PostgreSQL like this one does not keep up with the assumed national peak (${headroom.toFixed(2)}×): plan ${regional}, `
      + `or measure where a push's time goes first. ${photos}`;
  }
  const queueing = (TABLETS * BATCH) / pgRate;
  return [
    '## Scale notes',
    '',
    `From \`bench/ingest.ts\` (${TABLETS} tablets × ${PUSHES} pushes of ${BATCH} checks, no photos, all in one establishment, on this machine).`,
    '',
    `- **What one PostgreSQL like this handles**: ${whole(pgRate)} checks/s sustained with fsync on, i.e. ${approx(pgRate * 86_400)} checks/day `
    + `if it ran flat out (PGlite in the same run: ${whole(liteRate)} checks/s, ${approx(liteRate * 86_400)}/day, one process only). `
    + `pgbench on the same cluster, same run, inserted ${whole(pg.pgbench.rowsPerSecond)} single ~1 KB rows/s from ${PGBENCH_CLIENTS} clients: `
    + `ingest stored ${percentOfPgbench(pg)} % as many checks a second, each being a check row, its action links, its mutation record, an audit row `
    + 'and a change-log row, validated against the template and the establishment\'s data. '
    + `All ${TABLETS} tablets were in one establishment, so their commits took turns on that establishment's counter row, `
    + 'which numbers its audit chain and change log; pushes arriving together are written in one transaction (group commit, '
    + 'at most two at a time per establishment and server), which takes the row in its last statement, sent with the COMMIT, so a '
    + 'crowd of pushes holds it once, for that statement and one commit. '
    + 'Different establishments do not queue on each other there (they share the WAL and CPU). '
    + `What PostgreSQL's busy backends were doing, sampled every 50 ms: ${waits || 'not sampled'} `
    + '(idle in transaction: waiting for the Node server between statements; Lock:transactionid or Lock:tuple: queued behind another '
    + 'transaction, the counter row or a repeated mutation\'s claim; IO:WALSync: fsync at commit; CPU: executing). '
    + `Push latency here is queueing: each push waits behind the other tablets' ${whole(TABLETS * BATCH)} checks, `
    + `≈ ${queueing.toFixed(1)} s at that rate (p50 measured ${(percentile(pg.run.latencies, 50) / 1000).toFixed(1)} s); a tablet syncing alone waits far less.`,
    `- **National need**: ${ESTABLISHMENTS} establishments, ${whole(CHECKS_PER_DAY)} checks and ${whole(PHOTOS_PER_DAY)} photos a day. `
    + `Average ${average.toFixed(2)} checks/s. Peak, assuming everyone syncs at shift change with ${Math.round(PEAK_SHARE * 100)}% of a day's checks `
    + `arriving within the same ${PEAK_WINDOW_S / 60} minutes nationally (deliberately pessimistic): ${peak.toFixed(1)} checks/s, `
    + `${headroom >= 1 ? `${headroom.toFixed(1)}× below` : `${(1 / headroom).toFixed(1)}× above`} the measured rate. `
    + `One establishment's own share of that peak is ${((peak / ESTABLISHMENTS) * 60).toFixed(1)} checks a minute, `
    + `${approx((liteRate * ESTABLISHMENTS) / peak)}× under what PGlite took here. The peak's photos would be ${bytes(photoPeak)}/s (${((photoPeak * 8) / 1e6).toFixed(0)} Mbit/s) of uploads.`,
    `- **Storage per check** (PostgreSQL, measured): database grew ${bytes(pg.storage.after - pg.storage.before)} for ${whole(pg.run.timedChecks)} checks, `
    + `${whole(perCheck)} bytes per check with its mutation record, action links and change-log row (${tables}; together ${whole(tableBytes / pg.verified.checks)} bytes/check). `
    + `A year of national checks: ${bytes(checksYear)}. Photos, at an assumed ${bytes(PHOTO_BYTES)} each (the device shrinks them to a 2048 px JPEG; `
    + `an assumption from the capture pipeline, not measured here): ${bytes(photosYear)} a year, ${(photosYear / checksYear).toFixed(0)}× the checks.`,
    `- **Conclusion**: ${conclusion.charAt(0).toUpperCase()}${conclusion.slice(1)}`,
  ].join('\n');
}

const lite = await onPglite();
console.log(`PGlite: ${figure(lite)}`);
const pgRun = await onPostgres();
console.log(`${pgRun.engine}: ${figure(pgRun)}`);
const errorsSeen = [...lite.run.errors, ...pgRun.run.errors];
if (errorsSeen.length) console.log(`errors (retried): ${[...new Set(errorsSeen)].slice(0, 5).join(' | ')}`);

const size = `${TABLETS} tablets × ${PUSHES} pushes of ${BATCH} check.submit (${whole(CHECKS)} checks, no photos: photo upload is bench/sync.ts), each tablet re-sending one batch`;
const msPerCheck = (r: EngineRun) => r.run.wallMs / r.run.timedChecks;
const ofPgbench = percentOfPgbench(pgRun);
const rows: BenchRow[] = [
  {
    benchmark: `ingest (\`npm run bench:ingest\`) on ${pgRun.engine}: ${size}`,
    figure: figure(pgRun),
    comparison: `pgbench on the same cluster, same run: ${whole(pgRun.pgbench.rowsPerSecond)} rows/s (${PGBENCH_CLIENTS} clients, `
      + `single-row ~1 KB inserts for ${PGBENCH_SECONDS} s, latency average ${pgRun.pgbench.latencyMs.toFixed(1)} ms): ingest is ${ofPgbench} % of pgbench; `
      + `PGlite, same run: ${whole(rate(lite))} checks/s, p50 ${ms(percentile(lite.run.latencies, 50))}, p95 ${ms(percentile(lite.run.latencies, 95))}, p99 ${ms(percentile(lite.run.latencies, 99))}`,
    ratio: `${ofPgbench} % of pgbench; ${speedRatio(msPerCheck(pgRun), msPerCheck(lite))} than PGlite`,
  },
  {
    benchmark: `ingest (\`npm run bench:ingest\`) on PGlite (embedded): ${size}`,
    figure: figure(lite),
    comparison: `${pgRun.engine}, same run: ${whole(rate(pgRun))} checks/s, p50 ${ms(percentile(pgRun.run.latencies, 50))}, p95 ${ms(percentile(pgRun.run.latencies, 95))}, p99 ${ms(percentile(pgRun.run.latencies, 99))}`,
    ratio: `${speedRatio(msPerCheck(lite), msPerCheck(pgRun))} than PostgreSQL`,
  },
];
report({ rows, notes: [scaleNotes(pgRun, lite)] });
phase('done');
