/**
 * The worker that makes queued evidence packs (jobs.ts): one pack at a time per worker, since a
 * pack is CPU work and a server has requests to answer. It runs inside each server by default and
 * can run as a process of its own (`npm run worker`, with WINGCHECK_EXPORT_WORKER=off on the servers).
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyBaseLogger } from 'fastify';
import { endpoints } from '../../../../src/shared/api/endpoints.ts';
import type { BlobStore } from '../../blobs.ts';
import type { Clock } from '../../clock.ts';
import type { Db, Queryable } from '../../db/client.ts';
import { HttpError } from '../../http-errors.ts';
import { safeError } from '../../safe-logging.ts';
import { deleteUnheldBlob } from '../photos.ts';
import { JOB_COLUMNS, MAX_ATTEMPTS, PACK_LIFETIME_DAYS, requesterOf, requestOfJob, type ExportJobRow } from './jobs.ts';
import { DownloadAbandoned, PacedOutput } from './output.ts';
import { writeCsv } from './csv.ts';
import { writePdf } from './pdf.ts';
import { openPack, type PackProgress } from './reader.ts';

/** A worker that stops answering loses its job this long after its last renewal. */
export const LEASE_SECONDS = 15;
/** How often a working worker renews its lease and records its progress. */
const HEARTBEAT_MS = 1_000;
/** How often an idle worker looks for work queued by another server (its own server wakes it at once). */
const POLL_MS = 2_000;
/** How often ready packs past their time are removed. */
const SWEEP_MS = 10 * 60_000;
const DAY_MS = 24 * 60 * 60_000;

/** Who may be sent a pack: those who may ask for one. */
const PACK_ROLES: readonly string[] = endpoints['exports.create'].access;

export interface ExportWorkerDeps {
  db: Db;
  blobs: BlobStore;
  clock: Clock;
  /** Where packs are written before they go to the blob store; the system's temporary folder by default. */
  workDir?: string;
  log: { info(message: string): void; error(error: unknown, message: string): void };
}

export interface ExportWorker {
  /** Looks for work now rather than at the next poll: a job was just queued. */
  wake(): void;
  /** Stops taking jobs; a pack being made is put back in the queue for another worker, unfinished. */
  stop(): Promise<void>;
}

/** The worker lost its job: its lease ran out and another worker took it, or it is stopping. */
class JobLeftOff extends Error {
  override name = 'JobLeftOff';
}

export function startExportWorker(deps: ExportWorkerDeps): ExportWorker {
  const workerId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  let stopping = false;
  let wakeUp: (() => void) | null = null;
  let lastSweep = 0;

  const idle = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeUp = null;
        resolve();
      }
      wakeUp = done;
    });

  const loop = async () => {
    let failures = 0;
    while (!stopping) {
      try {
        if (Date.now() - lastSweep >= SWEEP_MS) {
          const expired = await expirePacks(deps.db, deps.blobs, deps.clock.now());
          if (expired > 0) deps.log.info(`${expired} evidence pack(s) expired and were removed`);
          lastSweep = Date.now();
        }
        const job = await claimJob(deps.db, workerId);
        failures = 0;
        if (job) await runJob(deps, workerId, job, () => stopping);
        else await idle(POLL_MS);
      } catch (error) {
        // The database or the store is not answering: try again, less often the longer it lasts.
        failures += 1;
        deps.log.error(error, 'the evidence pack worker could not reach the database or the photo store; it tries again');
        await idle(Math.min(POLL_MS * 2 ** failures, 60_000));
      }
    }
  };
  const running = loop();

  return {
    wake: () => wakeUp?.(),
    stop: async () => {
      stopping = true;
      wakeUp?.();
      await running;
    },
  };
}

/** The worker's log lines through the server's logger, errors without the values they carry (safe-logging.ts). */
export function workerLog(log: FastifyBaseLogger): ExportWorkerDeps['log'] {
  return {
    info: (message) => {
      log.info(message);
    },
    error: (error, message) => {
      log.error({ err: safeError(error) }, message);
    },
  };
}

/** Takes the oldest job waiting, or one whose worker stopped renewing its lease. */
export async function claimJob(db: Queryable, workerId: string): Promise<ExportJobRow | null> {
  const [row] = await db.query<ExportJobRow>(
    `WITH next AS (
       SELECT id FROM export_jobs
       WHERE state = 'queued' OR (state = 'running' AND lease_until < clock_timestamp())
       ORDER BY requested_at LIMIT 1 FOR UPDATE SKIP LOCKED),
     claimed AS (
       UPDATE export_jobs j SET state = 'running', attempts = j.attempts + 1, worker = $1, progress_done = 0,
         lease_until = clock_timestamp() + make_interval(secs => $2), started_at = COALESCE(j.started_at, clock_timestamp())
       FROM next WHERE j.id = next.id RETURNING j.*)
     SELECT ${JOB_COLUMNS} FROM claimed j JOIN users u ON u.id = j.requested_by`,
    [workerId, LEASE_SECONDS],
  );
  return row ?? null;
}

/** Ends a job this worker holds; false if it no longer holds it. */
async function settleJob(db: Queryable, workerId: string, id: string, set: string, params: SqlValue[]): Promise<boolean> {
  const rows = await db.query(
    `UPDATE export_jobs SET ${set}, worker = NULL, lease_until = NULL WHERE id = $1 AND worker = $2 AND state = 'running' RETURNING id`,
    [id, workerId, ...params],
  );
  return rows.length > 0;
}
type SqlValue = string | number | Date | null;

async function runJob(deps: ExportWorkerDeps, workerId: string, job: ExportJobRow, stopping: () => boolean): Promise<void> {
  const { db } = deps;
  /** Gives the job up for good, saying why (the export page shows it). */
  const fail = (why: string) => settleJob(db, workerId, job.id, 'state = \'failed\', finished_at = $3, error = $4', [deps.clock.now(), why]);
  if (job.attempts > MAX_ATTEMPTS) {
    await fail(`it was started ${MAX_ATTEMPTS} times and stopped each time before it was finished`);
    return;
  }
  const requester = await requesterOf(db, job, PACK_ROLES);
  if (!requester) {
    await fail('the person who asked for it no longer reviews evidence here');
    return;
  }

  // Progress is kept here and written with each renewal of the lease, not once per piece of evidence.
  // An object, not three lets: set by callbacks, which the compiler's narrowing does not follow.
  const seen: { done: number; total: number | null; lost: boolean } = { done: 0, total: null, lost: false };
  const progress: PackProgress = (done, total) => {
    seen.done = done;
    seen.total = total;
    if (seen.lost || stopping()) throw new JobLeftOff();
  };
  const heartbeat = setInterval(() => {
    db.query(
      `UPDATE export_jobs SET lease_until = clock_timestamp() + make_interval(secs => $3), progress_done = $4, progress_total = $5
       WHERE id = $1 AND worker = $2 AND state = 'running' RETURNING id`,
      [job.id, workerId, LEASE_SECONDS, seen.done, seen.total],
    ).then(
      (rows) => {
        if (rows.length === 0) seen.lost = true;
      },
      (error: unknown) => {
        deps.log.error(error, 'an evidence pack worker could not renew its lease');
      },
    );
  }, HEARTBEAT_MS);

  const dir = await mkdtemp(path.join(deps.workDir ?? tmpdir(), 'wingcheck-pack-'));
  try {
    // As the pack stood when it was asked for, however long it waited: a second try makes the same pack.
    const pack = await openPack(db, requester, requestOfJob(job), job.requested_at);
    const file = path.join(dir, job.file_name);
    const { sha256, size } = await renderToFile(file, (output) =>
      job.format === 'pdf' ? writePdf(db, deps.blobs, pack, output, progress) : writeCsv(db, pack, output, progress));
    if (seen.lost || stopping()) throw new JobLeftOff();
    await deps.blobs.putStream(sha256, size, createReadStream(file));
    const now = deps.clock.now();
    const finished = await settleJob(
      db, workerId, job.id,
      'state = \'ready\', finished_at = $3, expires_at = $4, file_sha256 = $5, file_size = $6, progress_done = $7, progress_total = $7, error = NULL',
      [now, new Date(now.getTime() + PACK_LIFETIME_DAYS * DAY_MS), sha256, size, seen.total ?? seen.done],
    );
    if (!finished) await deleteUnheldBlob(db, deps.blobs, sha256);
    else deps.log.info(`evidence pack ${job.id} is ready (${size} bytes)`);
  } catch (error) {
    if (error instanceof JobLeftOff) {
      // Stopping: back in the queue at once, for another worker or this one's next start.
      if (!seen.lost) await settleJob(db, workerId, job.id, 'state = \'queued\', attempts = attempts - 1, progress_done = 0', []);
      return;
    }
    if (error instanceof HttpError) {
      // Its plan, concern or action has gone since it was asked for: trying again cannot help.
      await fail('what it covers is no longer there');
      return;
    }
    deps.log.error(error, `evidence pack ${job.id} could not be made`);
    const why = 'something went wrong while it was being made';
    if (job.attempts >= MAX_ATTEMPTS) await fail(why);
    else await settleJob(db, workerId, job.id, 'state = \'queued\', error = $3', [why]);
  } finally {
    clearInterval(heartbeat);
    await rm(dir, { recursive: true, force: true });
  }
}

interface StoredFile {
  sha256: string;
  size: number;
}

/** Writes a pack to `file` as the writer produces it (paced by the disk), hashing it on the way. */
async function renderToFile(file: string, write: (output: PacedOutput) => Promise<void>): Promise<StoredFile> {
  const output = new PacedOutput();
  const hash = createHash('sha256');
  let size = 0;
  const hashing = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      size += chunk.length;
      callback(null, chunk);
    },
  });
  const written = pipeline(output.stream, hashing, createWriteStream(file));
  try {
    await write(output);
    output.stream.end();
  } catch (error) {
    // The disk failing shows to the writer as nobody reading: the disk's error is the one to report.
    if (error instanceof DownloadAbandoned) await written;
    output.stream.destroy();
    await written.catch(() => undefined);
    throw error;
  }
  await written;
  return { sha256: hash.digest('hex'), size };
}

/** Marks ready packs past their time expired and removes their files. */
export async function expirePacks(db: Queryable, blobs: BlobStore, now: Date): Promise<number> {
  const gone = await db.query<{ file_sha256: string }>(
    'UPDATE export_jobs SET state = \'expired\' WHERE state = \'ready\' AND expires_at <= $1 RETURNING file_sha256',
    [now],
  );
  for (const { file_sha256: sha256 } of gone) await deleteUnheldBlob(db, blobs, sha256);
  return gone.length;
}
