/**
 * Backup and restore of the embedded install: the database as PGlite's own dump of its folder,
 * taken between transactions, and the photos as files named by their SHA-256.
 *
 * A backup folder holds `database.tar.gz`, `photos/aa/bb/<sha256>` and, written last,
 * `backup.json`: a folder without it is an unfinished backup and is never restored. The photos are
 * copied after the database is dumped, and a photo is never removed while the server runs a backup
 * (maintenance.ts), so every photo the dumped database names is in the copy; photos uploaded in
 * between come along too and are harmless (nothing names them yet; the device that sent them will
 * push the check again after a restore, being told nothing of it). The manifest records each
 * establishment's audit head as it stood before the dump: after a restore the chain must still
 * reach and hold each of them.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, open, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { verifyAudit } from './audit.ts';
import { blobFiles, DirectoryBlobStore, SHA256_HEX } from './blobs.ts';
import type { Db } from './db/client.ts';
import { migrate } from './db/migrate.ts';
import { verifyEvidence } from './evidence-chain.ts';
import { APP_VERSION } from './version.ts';

export const MANIFEST = 'backup.json';
const DATABASE_FILE = 'database.tar.gz';
const PHOTOS_FOLDER = 'photos';
/** Copies at once: enough to keep a disk busy, few enough not to run out of file handles. */
const COPIES_IN_FLIGHT = 8;

/** A problem the person can act on, said in one line. */
export class BackupError extends Error {
  override name = 'BackupError';
}

const Manifest = z.object({
  format: z.literal('wingcheck-backup'),
  version: z.literal(1),
  createdAt: z.string(),
  wingcheck: z.string(),
  database: z.object({
    file: z.literal(DATABASE_FILE),
    sha256: z.string().regex(SHA256_HEX),
    bytes: z.number().int().nonnegative(),
  }),
  photos: z.object({ count: z.number().int().nonnegative(), bytes: z.number().int().nonnegative() }),
  establishments: z.array(
    z.object({ id: z.string(), name: z.string(), auditSeq: z.number().int().nonnegative(), auditHead: z.string() }),
  ),
});
type Manifest = z.infer<typeof Manifest>;

export interface BackupSummary {
  to: string;
  createdAt: string;
  database: { bytes: number };
  photos: { count: number; bytes: number };
  establishments: number;
}

export interface RestoreSummary {
  from: string;
  createdAt: string;
  establishments: number;
  checks: number;
  photos: number;
  audit: 'verified';
}

type Progress = (message: string) => void;

/** The folder must be new or empty: a backup never mixes with another, nor overwrites one. */
async function prepareEmptyFolder(dir: string, what: string): Promise<void> {
  try {
    const entries = await readdir(dir);
    if (entries.length > 0) throw new BackupError(`${dir} is not empty: ${what} into a new or empty folder`);
  } catch (error) {
    if (error instanceof BackupError) throw error;
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new BackupError(`cannot use ${dir} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
  }
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw new BackupError(`cannot create ${dir} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

/** Writes the bytes and flushes them to the disk before returning. */
async function writeDurably(file: string, bytes: Uint8Array | string): Promise<void> {
  const handle = await open(file, 'wx');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Runs `work` on each item with at most `limit` at once. */
async function eachLimited<T>(items: AsyncIterable<T>, limit: number, work: (item: T) => Promise<void>): Promise<void> {
  const running = new Set<Promise<void>>();
  for await (const item of items) {
    const task = work(item).finally(() => running.delete(task));
    running.add(task);
    if (running.size >= limit) await Promise.race(running);
  }
  await Promise.all(running);
}

const sha256Of = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

/**
 * Copies the running install's database and photos into `to` (new or empty). Safe while the
 * server serves: the dump waits for the transaction in progress and holds the next one back
 * for as long as it takes (about a second for a year of one establishment's evidence).
 */
export async function takeBackup(
  options: { db: Db; blobsDir: string; to: string; now: () => Date },
  progress: Progress = () => undefined,
): Promise<BackupSummary> {
  const { db, blobsDir, to } = options;
  if (!db.dump) throw new BackupError('backup copies the embedded database; PostgreSQL is backed up with its own tools (see the README)');
  await prepareEmptyFolder(to, 'back up');
  const createdAt = options.now().toISOString();
  try {
    // Before the dump: the dump holds at least these entries, and a restore must reach them.
    const heads = await db.query<{ id: string; name: string; seq: string; head: string }>(
      'SELECT id, name, audit_seq::text AS seq, audit_head AS head FROM establishments ORDER BY name',
    );
    progress('copying the database');
    const dump = new Uint8Array(await (await db.dump()).arrayBuffer());
    await writeDurably(path.join(to, DATABASE_FILE), dump);

    progress('copying the photos');
    let count = 0;
    let bytes = 0;
    await eachLimited(blobFiles(blobsDir), COPIES_IN_FLIGHT, async ({ sha256, file }) => {
      const folder = path.join(to, PHOTOS_FOLDER, sha256.slice(0, 2), sha256.slice(2, 4));
      await mkdir(folder, { recursive: true });
      const target = path.join(folder, sha256);
      await copyFile(file, target);
      const handle = await open(target, 'r');
      try {
        await handle.sync();
        bytes += (await handle.stat()).size;
      } finally {
        await handle.close();
      }
      count += 1;
      if (count % 500 === 0) progress(`copied ${count} photos`);
    });

    const manifest: Manifest = {
      format: 'wingcheck-backup',
      version: 1,
      createdAt,
      wingcheck: APP_VERSION,
      database: { file: DATABASE_FILE, sha256: sha256Of(dump), bytes: dump.byteLength },
      photos: { count, bytes },
      establishments: heads.map((h) => ({ id: h.id, name: h.name, auditSeq: Number(h.seq), auditHead: h.head })),
    };
    // Last: its presence says the backup is whole.
    await writeDurably(path.join(to, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
    return { to, createdAt, database: { bytes: dump.byteLength }, photos: { count, bytes }, establishments: heads.length };
  } catch (error) {
    // Nothing half made is left to be mistaken for a backup.
    await rm(to, { recursive: true, force: true }).catch(() => undefined);
    if (error instanceof BackupError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new BackupError(`the backup failed (${code ?? (error as Error).message}); nothing was kept in ${to}`);
  }
}

async function readManifest(from: string): Promise<Manifest> {
  let text: string;
  try {
    text = await readFile(path.join(from, MANIFEST), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new BackupError(`${from} is not a finished Wingcheck backup (it has no ${MANIFEST})`);
    }
    throw new BackupError(`cannot read ${path.join(from, MANIFEST)} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new BackupError(`${path.join(from, MANIFEST)} is not JSON: the backup is damaged`);
  }
  const parsed = Manifest.safeParse(json);
  if (!parsed.success) throw new BackupError(`${path.join(from, MANIFEST)} is not a Wingcheck backup manifest this version can read`);
  return parsed.data;
}

/**
 * Restores a backup into an empty data folder (`pgliteDir` and `blobsDir` inside it must not
 * hold anything), checking every byte against the manifest and the photos' names, then the audit
 * chain of every establishment. On any failure nothing restored is left behind.
 */
export async function restoreBackup(
  options: { from: string; pgliteDir: string; blobsDir: string; openDb: (dump: File) => Promise<Db> },
  progress: Progress = () => undefined,
): Promise<RestoreSummary> {
  const { from, pgliteDir, blobsDir } = options;
  const manifest = await readManifest(from);
  for (const dir of [pgliteDir, blobsDir]) {
    const entries = await readdir(dir).catch(() => []);
    if (entries.length > 0) throw new BackupError(`${dir} is not empty: restore into an empty data folder`);
  }
  progress('checking the database copy');
  let dump: Uint8Array<ArrayBuffer>;
  try {
    dump = new Uint8Array(await readFile(path.join(from, manifest.database.file)));
  } catch (error) {
    throw new BackupError(`cannot read the database copy (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  if (dump.byteLength !== manifest.database.bytes || sha256Of(dump) !== manifest.database.sha256) {
    throw new BackupError('the database copy does not match its manifest: the backup is damaged');
  }

  let db: Db | null = null;
  try {
    progress('restoring the photos');
    const store = new DirectoryBlobStore(blobsDir);
    let count = 0;
    await eachLimited(blobFiles(path.join(from, PHOTOS_FOLDER)), COPIES_IN_FLIGHT, async ({ sha256, file }) => {
      if ((await sha256OfFile(file)) !== sha256) throw new BackupError(`the photo ${sha256} in the backup is damaged`);
      await store.put(sha256, await readFile(file));
      count += 1;
      if (count % 500 === 0) progress(`restored ${count} photos`);
    });
    if (count !== manifest.photos.count) {
      throw new BackupError(`the backup should hold ${manifest.photos.count} photos but holds ${count}: it is incomplete`);
    }

    progress('restoring the database');
    db = await options.openDb(new File([dump], manifest.database.file, { type: 'application/gzip' }));
    // A backup from an earlier version opens as that version left it; bring it up to date.
    await migrate(db);

    progress('verifying the audit chain');
    for (const e of manifest.establishments) {
      const chain = await verifyAudit(db, e.id, e.auditSeq > 0 ? { seq: e.auditSeq, hash: e.auditHead } : undefined);
      if (!chain.ok) throw new BackupError(`the audit chain of ${e.name} does not verify after restoring (entry ${chain.brokenAt}: ${chain.reason})`);
      if (chain.count < e.auditSeq) throw new BackupError(`the audit chain of ${e.name} ends before the backup's record of it`);
      const evidence = await verifyEvidence(db, e.id);
      if (!evidence.ok) throw new BackupError(`the evidence of ${e.name} does not match its audit chain: ${evidence.reason}`);
    }
    const missing = await db.query<{ sha256: string }>('SELECT DISTINCT sha256 FROM check_photos');
    for (const { sha256 } of missing) {
      if (!(await store.has(sha256))) throw new BackupError(`the photo ${sha256} that evidence names is not in the backup`);
    }
    const [counts] = await db.query<{ establishments: string; checks: string }>(
      'SELECT (SELECT count(*) FROM establishments)::text AS establishments, (SELECT count(*) FROM checks)::text AS checks',
    );
    await db.close();
    db = null;
    return {
      from,
      createdAt: manifest.createdAt,
      establishments: Number(counts?.establishments ?? 0),
      checks: Number(counts?.checks ?? 0),
      photos: count,
      audit: 'verified',
    };
  } catch (error) {
    await db?.close().catch(() => undefined);
    await rm(pgliteDir, { recursive: true, force: true }).catch(() => undefined);
    await rm(blobsDir, { recursive: true, force: true }).catch(() => undefined);
    if (error instanceof BackupError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new BackupError(`the restore failed (${code ?? (error as Error).message}); the data folder was left empty`);
  }
}
