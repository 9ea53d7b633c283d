/**
 * Evidence packs as queued jobs. Asking for a pack stores a row (`export_jobs`) and answers at
 * once; a worker claims the oldest waiting row with a lease, renders the pack to a file, stores it
 * in the blob store (object storage when configured, so every server can send it) and marks it
 * ready. A worker renews its lease while it works; one that dies (a killed server) lets the lease
 * run out and the next worker claims the job again from the start. Ready packs expire.
 */
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { ExportJob, ExportJobState, ExportRequest } from '../../../../src/shared/api/export.ts';
import type { AuthContext } from '../../auth/sessions.ts';
import { auditAs, type Actor } from '../../audit-request.ts';
import type { BlobStore } from '../../blobs.ts';
import type { Db, Queryable, SqlParam } from '../../db/client.ts';
import { HttpError, notFound } from '../../http-errors.ts';
import { openPack, type PackRequester } from './reader.ts';

/** How long a ready pack can be downloaded: long enough to reach a meeting, short enough not to pile up. */
export const PACK_LIFETIME_DAYS = 7;
/** A job is tried this many times (a killed worker's try counts) before it is marked failed. */
export const MAX_ATTEMPTS = 3;
/** The packs the export page lists. */
const LISTED = 20;

export interface ExportJobRow {
  id: string;
  establishment_id: string;
  requested_by: string;
  requested_by_name: string;
  requested_at: Date;
  format: 'pdf' | 'csv';
  scope_kind: 'action' | 'recommendation' | 'plan';
  scope_id: string;
  from_date: string;
  to_date: string;
  title: string;
  file_name: string;
  state: ExportJobState;
  attempts: number;
  progress_done: number;
  progress_total: number | null;
  finished_at: Date | null;
  expires_at: Date | null;
  file_sha256: string | null;
  file_size: string | null;
  error: string | null;
}

/** A job's columns with its requester's name; dates as text so both engines give the same. */
export const JOB_COLUMNS = `j.id, j.establishment_id, j.requested_by, u.display_name AS requested_by_name, j.requested_at, j.format,
  j.scope_kind, j.scope_id, j.from_date::text AS from_date, j.to_date::text AS to_date, j.title, j.file_name, j.state, j.attempts,
  j.progress_done, j.progress_total, j.finished_at, j.expires_at, j.file_sha256, j.file_size::text AS file_size, j.error`;

export function jobOf(row: ExportJobRow): ExportJob {
  return {
    id: row.id,
    format: row.format,
    scope: { kind: row.scope_kind, id: row.scope_id },
    from: row.from_date,
    to: row.to_date,
    title: row.title,
    state: row.state,
    progress: { done: row.progress_done, total: row.progress_total },
    requestedBy: row.requested_by_name,
    requestedAt: row.requested_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
    expiresAt: row.expires_at?.toISOString() ?? null,
    fileName: row.file_name,
    size: row.file_size === null ? null : Number(row.file_size),
    error: row.error,
  };
}

export function requestOfJob(row: Pick<ExportJobRow, 'scope_kind' | 'scope_id' | 'from_date' | 'to_date'>): ExportRequest {
  return { scope: { kind: row.scope_kind, id: row.scope_id }, from: row.from_date, to: row.to_date };
}

async function readJobs(db: Queryable, where: string, params: SqlParam[], limit = 1): Promise<ExportJobRow[]> {
  return db.query<ExportJobRow>(
    `SELECT ${JOB_COLUMNS} FROM export_jobs j JOIN users u ON u.id = j.requested_by WHERE ${where}
     ORDER BY j.requested_at DESC, j.id LIMIT ${limit}`,
    params,
  );
}

/**
 * Queues a pack. The scope is settled now, as for a download in the request (403 for another
 * establishment's, 404 for none), so a job that could never be made is never queued.
 */
export async function queueExport(db: Db, actor: Actor, input: ExportRequest & { format: 'pdf' | 'csv' }): Promise<ExportJob> {
  const { auth, now } = actor;
  const pack = await openPack(db, auth, input, now);
  const id = randomUUID();
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO export_jobs (id, establishment_id, requested_by, requested_at, format, scope_kind, scope_id, from_date, to_date, title, file_name)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        id, auth.establishmentId, auth.userId, now, input.format, input.scope.kind, input.scope.id, input.from, input.to,
        pack.scopeTitle, `evidence-${pack.fileStem}-${input.from}-${input.to}.${input.format}`,
      ],
    );
    // Packs leave the establishment (inspectors, governors' meetings): who asked for which is on the record.
    await auditAs(tx, actor, {
      action: 'export.request',
      entityType: 'export',
      entityId: id,
      details: { format: input.format, scope: input.scope, from: input.from, to: input.to },
    });
  });
  return exportJob(db, auth, id);
}

/** The establishment's latest packs, newest first. */
export async function listExports(db: Queryable, auth: AuthContext): Promise<ExportJob[]> {
  return (await readJobs(db, 'j.establishment_id = $1', [auth.establishmentId], LISTED)).map(jobOf);
}

/** One pack of the person's establishment; another establishment's is as absent as one never asked for. */
export async function exportJobRow(db: Queryable, auth: AuthContext, id: string): Promise<ExportJobRow> {
  const [row] = await readJobs(db, 'j.id = $1 AND j.establishment_id = $2', [id, auth.establishmentId]);
  if (!row) throw notFound('Evidence pack');
  return row;
}

export async function exportJob(db: Queryable, auth: AuthContext, id: string): Promise<ExportJob> {
  return jobOf(await exportJobRow(db, auth, id));
}

const packExpired = () => new HttpError(410, 'gone', 'This pack has expired. Ask for it again.');

/** The file of a ready pack and its bytes: 409 while it is being made, 410 once it has expired or could not be made. */
export async function readyPack(
  db: Queryable,
  blobs: BlobStore,
  auth: AuthContext,
  id: string,
): Promise<{ row: ExportJobRow; bytes: Readable }> {
  const row = await exportJobRow(db, auth, id);
  if (row.state === 'queued' || row.state === 'running') {
    throw new HttpError(409, 'not_ready', 'This pack is still being made: wait until it says it is ready.');
  }
  if (row.state === 'failed') throw new HttpError(410, 'gone', `This pack could not be made${row.error ? `: ${row.error}` : ''}. Ask for it again.`);
  if (row.state === 'expired' || row.file_sha256 === null) throw packExpired();
  // Ready, but its file gone from the store (removed by hand, or a store restored from before it).
  const bytes = await blobs.get(row.file_sha256);
  if (!bytes) throw packExpired();
  return { row, bytes };
}

/**
 * The person a queued pack was asked for, read again when it is made: someone whose account was
 * disabled, or who no longer reviews evidence there, gets no pack. Null if so.
 */
export async function requesterOf(
  db: Queryable,
  row: Pick<ExportJobRow, 'requested_by' | 'establishment_id'>,
  roles: readonly string[],
): Promise<PackRequester | null> {
  const [found] = await db.query<{ display_name: string; establishment_name: string }>(
    `SELECT u.display_name, e.name AS establishment_name FROM users u JOIN establishments e ON e.id = $2
     WHERE u.id = $1 AND u.disabled_at IS NULL
       AND EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = u.id AND m.establishment_id = e.id AND m.role = ANY($3::text[]))`,
    [row.requested_by, row.establishment_id, roles],
  );
  if (!found) return null;
  return { establishmentId: row.establishment_id, establishmentName: found.establishment_name, displayName: found.display_name };
}
