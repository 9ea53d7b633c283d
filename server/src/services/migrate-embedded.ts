/**
 * Moves an embedded install (PGlite in the data folder, photos in its blobs/ folder) to PostgreSQL
 * and S3-compatible object storage: every row of every table, every photo, then proof that nothing
 * was lost or changed (row counts, each establishment's audit chain and evidence matched to it,
 * and every photo a check names present in the bucket under its SHA-256). Run with the server
 * stopped: the caller holds the data folder's lock.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { verifyAudit } from '../audit.ts';
import { BlobHashMismatchError, blobFiles, type BlobStore } from '../blobs.ts';
import type { Db, Queryable } from '../db/client.ts';
import { verifyEvidence } from '../evidence-chain.ts';

/** The target already holds an install, or the copy does not match its source: nothing is claimed done. */
export class MigrationRefusal extends Error {
  override name = 'MigrationRefusal';
}

/** Rows sent to PostgreSQL per statement: a year of a prison's checks is far more than one statement should carry. */
const ROWS_PER_STATEMENT = 500;

interface ForeignKey {
  table: string;
  column: string;
  references: string;
  referencedColumn: string;
}

export interface MigrationReport {
  tables: Record<string, number>;
  photos: { count: number; bytes: number };
  verified: { establishments: number; auditRows: number; checks: number; photosInBucket: number };
}

/** The schema's tables, those a table refers to first; and each table's references to itself. */
async function tablesInOrder(db: Queryable): Promise<{ order: string[]; selfKeys: Map<string, ForeignKey[]> }> {
  const tables = (await db.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname <> 'schema_migrations' ORDER BY c.relname`,
  )).map((row) => row.name);
  const keys = await db.query<ForeignKey>(
    `SELECT cl.relname AS table, a.attname AS column, rc.relname AS references, ra.attname AS "referencedColumn"
     FROM pg_constraint k
     JOIN pg_class cl ON cl.oid = k.conrelid JOIN pg_class rc ON rc.oid = k.confrelid
     JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]
     JOIN pg_attribute ra ON ra.attrelid = k.confrelid AND ra.attnum = k.confkey[1]
     WHERE k.contype = 'f' AND k.connamespace = 'public'::regnamespace`,
  );
  const selfKeys = new Map<string, ForeignKey[]>();
  const needs = new Map(tables.map((t) => [t, new Set<string>()]));
  for (const key of keys) {
    if (key.table === key.references) selfKeys.set(key.table, [...(selfKeys.get(key.table) ?? []), key]);
    else needs.get(key.table)?.add(key.references);
  }
  const order: string[] = [];
  const placed = new Set<string>();
  while (order.length < tables.length) {
    const ready = tables.filter((t) => !placed.has(t) && [...(needs.get(t) ?? [])].every((n) => placed.has(n)));
    if (ready.length === 0) throw new Error(`the tables' references go round in a circle: ${tables.filter((t) => !placed.has(t)).join(', ')}`);
    for (const t of ready) {
      order.push(t);
      placed.add(t);
    }
  }
  return { order, selfKeys };
}

/** Rows ordered so that a row another row of the same table refers to comes first (a correction after what it corrects). */
function referencedFirst(rows: Record<string, unknown>[], keys: readonly ForeignKey[]): Record<string, unknown>[] {
  if (keys.length === 0) return rows;
  const done = new Map(keys.map((k) => [k.referencedColumn, new Set<unknown>()]));
  const ordered: Record<string, unknown>[] = [];
  let left = rows;
  while (left.length > 0) {
    const waiting: Record<string, unknown>[] = [];
    for (const row of left) {
      const ready = keys.every((k) => {
        const value = row[k.column];
        return value === null || value === undefined || done.get(k.referencedColumn)?.has(value);
      });
      if (!ready) {
        waiting.push(row);
        continue;
      }
      ordered.push(row);
      for (const k of keys) done.get(k.referencedColumn)?.add(row[k.referencedColumn]);
    }
    // A reference to a row that is not there at all: the source's own constraint forbids it, but
    // the target will say so rather than this loop spinning.
    if (waiting.length === left.length) return [...ordered, ...waiting];
    left = waiting;
  }
  return ordered;
}

/**
 * Copies `source` (the embedded database, migrated) into `target` (PostgreSQL, migrated and empty)
 * and the photos in `photoDir` into `blobs`, then verifies. `progress` hears each step.
 */
export async function migrateEmbedded(
  input: { source: Db; target: Db; photoDir: string; blobs: BlobStore },
  progress: (line: string) => void = () => undefined,
): Promise<MigrationReport> {
  const { source, target } = input;
  const [held] = await target.query<{ n: number }>('SELECT count(*)::int AS n FROM establishments');
  if ((held?.n ?? 0) > 0) {
    throw new MigrationRefusal(`the target database already holds ${held?.n ?? 0} establishment(s): migrate into an empty database`);
  }
  // Photos first: content-addressed, so a copy cut short or repeated leaves nothing wrong in the bucket.
  const files: { sha256: string; file: string; size: number }[] = [];
  for await (const photo of blobFiles(input.photoDir)) files.push({ ...photo, size: (await stat(photo.file)).size });
  let bytes = 0;
  for (const [index, photo] of files.entries()) {
    // Hashed as it goes: a damaged file is refused (BlobHashMismatchError), not copied.
    try {
      await input.blobs.putStream(photo.sha256, photo.size, createReadStream(photo.file));
    } catch (error) {
      if (!(error instanceof BlobHashMismatchError)) throw error;
      throw new MigrationRefusal(`the photo file ${photo.file} is damaged (its bytes do not hash to its name): nothing was copied to PostgreSQL`);
    }
    bytes += photo.size;
    if ((index + 1) % 100 === 0 || index + 1 === files.length) progress(`photos: ${index + 1} of ${files.length}`);
  }

  // Then every row, and the proof, in one transaction: a copy that does not verify leaves the target empty.
  const { order, selfKeys } = await tablesInOrder(target);
  const tables: Record<string, number> = {};
  const verified = await target.transaction(async (tx) => {
    for (const table of order) {
      // PostgreSQL writes each row as JSON itself, so every type (timestamps, bytea, jsonb) reads back as it was.
      const rows = (await source.query<{ row: Record<string, unknown> }>(`SELECT to_jsonb(t) AS row FROM "${table}" t`)).map((r) => r.row);
      const ordered = referencedFirst(rows, selfKeys.get(table) ?? []);
      for (let at = 0; at < ordered.length; at += ROWS_PER_STATEMENT) {
        await tx.query(
          `INSERT INTO "${table}" SELECT * FROM jsonb_populate_recordset(NULL::"${table}", $1::jsonb)`,
          [JSON.stringify(ordered.slice(at, at + ROWS_PER_STATEMENT))],
        );
      }
      tables[table] = rows.length;
      progress(`${table}: ${rows.length} rows`);
    }
    return verify(tx, order, tables, input.blobs);
  });
  return {
    tables,
    photos: { count: files.length, bytes },
    verified,
  };
}

/** The copy as the servers will read it: row counts, audit chains and evidence, and every photo named present in the bucket. */
async function verify(db: Queryable, order: readonly string[], tables: Record<string, number>, blobs: BlobStore): Promise<MigrationReport['verified']> {
  const problems: string[] = [];
  for (const table of order) {
    const [count] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${table}"`);
    if (count?.n !== tables[table]) problems.push(`${table}: ${count?.n ?? 0} rows in PostgreSQL, ${tables[table] ?? 0} in the embedded database`);
  }
  let auditRows = 0;
  let checks = 0;
  const establishments = await db.query<{ id: string; name: string }>('SELECT id::text AS id, name FROM establishments ORDER BY name');
  for (const { id, name } of establishments) {
    const audit = await verifyAudit(db, id);
    if (!audit.ok) problems.push(`${name}: the audit chain breaks at ${audit.brokenAt}: ${audit.reason}`);
    auditRows += audit.count;
    const evidence = await verifyEvidence(db, id);
    if (evidence.ok) checks += evidence.checks;
    else problems.push(`${name}: ${evidence.reason}`);
  }
  const named = await db.query<{ sha256: string }>('SELECT DISTINCT sha256 FROM photos ORDER BY sha256');
  let photosInBucket = 0;
  for (const { sha256 } of named) {
    if (await blobs.has(sha256)) photosInBucket += 1;
    else problems.push(`photo ${sha256} is recorded but not in the object store`);
  }
  if (problems.length > 0) {
    throw new MigrationRefusal(`the copy does not match, so nothing was kept in PostgreSQL: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? ` and ${problems.length - 5} more` : ''}`);
  }
  return { establishments: establishments.length, auditRows, checks, photosInBucket };
}
