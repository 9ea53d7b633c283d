import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { access, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';

export class BlobHashMismatchError extends Error {
  override name = 'BlobHashMismatchError';
}

/** Content-addressed storage for photos: the key is the SHA-256 of the bytes. */
export interface BlobStore {
  has(sha256: string): Promise<boolean>;
  /**
   * Stores bytes under their hash; storing the same bytes again is a no-op. Throws BlobHashMismatchError, storing
   * nothing, if the bytes do not hash to `sha256`: callers rely on this rather than hashing the bytes themselves.
   */
  put(sha256: string, bytes: Uint8Array): Promise<void>;
  /** The bytes as a stream, or null if absent. */
  get(sha256: string): Promise<Readable | null>;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Blobs as files in a folder, fanned out by hash prefix so no folder grows huge. */
export class DirectoryBlobStore implements BlobStore {
  constructor(private readonly root: string) {}

  private pathFor(sha256: string): string {
    if (!SHA256_HEX.test(sha256)) throw new Error(`not a SHA-256 hex digest: ${sha256}`);
    return path.join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async has(sha256: string): Promise<boolean> {
    try {
      await access(this.pathFor(sha256));
      return true;
    } catch {
      return false;
    }
  }

  async put(sha256: string, bytes: Uint8Array): Promise<void> {
    const target = this.pathFor(sha256);
    if (sha256Hex(bytes) !== sha256) throw new BlobHashMismatchError(`bytes do not hash to ${sha256}`);
    if (await this.has(sha256)) return;
    await mkdir(path.dirname(target), { recursive: true });
    // Write then rename: a crash mid-write never leaves a truncated file under a valid hash.
    const temp = `${target}.${randomUUID()}.tmp`;
    try {
      await writeFile(temp, bytes);
      await rename(temp, target);
    } finally {
      await rm(temp, { force: true });
    }
  }

  async get(sha256: string): Promise<Readable | null> {
    if (!(await this.has(sha256))) return null;
    return createReadStream(this.pathFor(sha256));
  }
}
