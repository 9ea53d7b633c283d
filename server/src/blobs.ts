import { createHash, randomUUID } from 'node:crypto';
import { constants as fsConstants, createReadStream } from 'node:fs';
import * as fsPromises from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';

export class BlobHashMismatchError extends Error {
  override name = 'BlobHashMismatchError';
}

/** Content-addressed storage for photos: the key is the SHA-256 of the bytes. */
export interface BlobStore {
  /** Where the bytes live: a folder beside the server, or S3-compatible object storage (GET /api/health says which). */
  readonly kind: 'folder' | 's3';
  /** Resolves if the store answers (readiness), throws if it does not. */
  check(): Promise<void>;
  has(sha256: string): Promise<boolean>;
  /**
   * Stores bytes under their hash; storing the same bytes again is a no-op. Throws BlobHashMismatchError, storing
   * nothing, if the bytes do not hash to `sha256`: callers rely on this rather than hashing the bytes themselves.
   */
  put(sha256: string, bytes: Uint8Array): Promise<void>;
  /**
   * The same as put, for `size` bytes that arrive in pieces (a batch of photos in one request): they
   * are hashed and written as they come, never held whole in memory. Throws BlobHashMismatchError,
   * storing nothing, if they are not `size` bytes hashing to `sha256`; an error `source` throws is passed on, nothing stored.
   */
  putStream(sha256: string, size: number, source: AsyncIterable<Uint8Array>): Promise<void>;
  /** The bytes as a stream, or null if absent. */
  get(sha256: string): Promise<Readable | null>;
  /** Removes the bytes (retention); removing what is absent is a no-op. */
  delete(sha256: string): Promise<void>;
}

/** A blob's key: its SHA-256 in lower-case hex. */
export const SHA256_HEX = /^[0-9a-f]{64}$/;
/** putStream writes what has arrived once this much has. */
const WRITE_BYTES = 1024 * 1024;

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The file operations the store uses; tests pass a recording wrapper to see the fsyncs and their order. */
export type BlobFileSystem = Pick<typeof fsPromises, 'access' | 'mkdir' | 'open' | 'rename' | 'rm'>;

/** Blobs as files in a folder, fanned out by hash prefix so no folder grows huge. */
export class DirectoryBlobStore implements BlobStore {
  readonly kind = 'folder';

  constructor(
    readonly root: string,
    private readonly fs: BlobFileSystem = fsPromises,
  ) {}

  private pathFor(sha256: string): string {
    if (!SHA256_HEX.test(sha256)) throw new Error(`not a SHA-256 hex digest: ${sha256}`);
    return path.join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  /** The folder is there and writable (made at first start; a lost mount or a full permission change shows here). */
  async check(): Promise<void> {
    await this.fs.access(this.root, fsConstants.W_OK).catch(async (error: unknown) => {
      // Not made yet: the first photo makes it, if its parent lets it.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      await this.fs.access(path.dirname(this.root), fsConstants.W_OK);
    });
  }

  async has(sha256: string): Promise<boolean> {
    try {
      await this.fs.access(this.pathFor(sha256));
      return true;
    } catch {
      return false;
    }
  }

  /** The bytes in one piece, stored as any stream is: one way to write, sync and rename a blob. */
  async put(sha256: string, bytes: Uint8Array): Promise<void> {
    await this.putStream(sha256, bytes.byteLength, [bytes]);
  }

  async putStream(sha256: string, size: number, source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<void> {
    const target = this.pathFor(sha256);
    const folder = path.dirname(target);
    // Write then rename: a crash mid-write never leaves a truncated file under a valid hash.
    const temp = `${target}.${randomUUID()}.tmp`;
    // The file is made ready (or found stored) while the first bytes arrive: in a batch, the next
    // photo is read at once rather than after three trips to the disk.
    const ready = this.prepare(sha256, folder, temp);
    // Its failure is met where it is awaited; until then it must not count as unhandled (which ends the process).
    ready.catch(() => undefined);
    const hash = createHash('sha256');
    try {
      // Pieces from a socket are small: written a megabyte at a time, in one call each.
      let pending: Uint8Array[] = [];
      let pendingBytes = 0;
      let received = 0;
      const flush = async () => {
        const { file } = await ready;
        if (file && pending.length > 0) await file.writev(pending);
        pending = [];
        pendingBytes = 0;
      };
      for await (const piece of source) {
        hash.update(piece);
        received += piece.byteLength;
        pending.push(piece);
        pendingBytes += piece.byteLength;
        if (pendingBytes >= WRITE_BYTES) await flush();
      }
      await flush();
      // Stored already or not, the bytes must be these: a hash is not a proof of holding them.
      if (received !== size) throw new BlobHashMismatchError(`${received} bytes, not the ${size} announced`);
      if (hash.digest('hex') !== sha256) throw new BlobHashMismatchError(`bytes do not hash to ${sha256}`);
      const { file, created } = await ready;
      if (!file) {
        // Perhaps stored by a put still between its rename and its folder syncs, or by one whose
        // folder sync failed: sync the file's folders before this one is acknowledged too. Only
        // repeats (retries) come here, and a folder with nothing pending syncs at once.
        const fanOut = path.dirname(folder);
        await Promise.all([folder, fanOut, path.dirname(fanOut)].map((dir) => this.syncFolder(dir)));
        return;
      }
      // The caller answers 201 and the tablet drops its copy, so the bytes are synced before the
      // rename (else a power cut can leave the name pointing at nothing) and the rename after it.
      await file.sync();
      await file.close();
      await this.fs.rename(temp, target);
      await Promise.all(foldersToSync(folder, created).map((dir) => this.syncFolder(dir)));
    } catch (error) {
      const { file } = await ready.catch(() => ({ file: null }));
      if (file) {
        // Closing twice (after a failed rename) only fails again: the error that matters is the first.
        await file.close().catch(() => undefined);
        await this.fs.rm(temp, { force: true });
      }
      throw error;
    }
  }

  /** No file if the blob is stored already; else the temporary file opened for writing, and the first folder mkdir made. */
  private async prepare(
    sha256: string,
    folder: string,
    temp: string,
  ): Promise<{ file: fsPromises.FileHandle | null; created: string | undefined }> {
    if (await this.has(sha256)) return { file: null, created: undefined };
    const created = await this.fs.mkdir(folder, { recursive: true });
    return { file: await this.fs.open(temp, 'wx'), created };
  }

  /** A folder's entries (a renamed file, a new subfolder) are durable only once the folder is synced. */
  private async syncFolder(dir: string): Promise<void> {
    const handle = await this.fs.open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  async get(sha256: string): Promise<Readable | null> {
    if (!(await this.has(sha256))) return null;
    return createReadStream(this.pathFor(sha256));
  }

  async delete(sha256: string): Promise<void> {
    await this.fs.rm(this.pathFor(sha256), { force: true });
  }
}

/** Every photo file in a folder laid out as the blob store lays it out (aa/bb/<sha256>). */
export async function* blobFiles(root: string): AsyncGenerator<{ sha256: string; file: string }> {
  const list = async (dir: string): Promise<string[]> => {
    try {
      return (await fsPromises.readdir(dir)).sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  };
  for (const a of await list(root)) {
    if (!/^[0-9a-f]{2}$/.test(a)) continue;
    for (const b of await list(path.join(root, a))) {
      if (!/^[0-9a-f]{2}$/.test(b)) continue;
      // Anything else there (a put's temporary file, not yet renamed) is not a photo yet.
      for (const name of await list(path.join(root, a, b))) {
        if (SHA256_HEX.test(name) && name.startsWith(a + b)) yield { sha256: name, file: path.join(root, a, b, name) };
      }
    }
  }
}

/**
 * The folder holding the new file, and, for each folder mkdir made (the first it made, `created`,
 * down to the file's), the parent that holds its entry.
 */
function foldersToSync(folder: string, created: string | undefined): string[] {
  const folders = [folder];
  if (created === undefined) return folders;
  const top = path.resolve(created);
  for (let dir = path.resolve(folder); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    folders.push(path.dirname(dir));
    if (dir === top) break;
  }
  return folders;
}
