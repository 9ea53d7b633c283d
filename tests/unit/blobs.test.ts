import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { text } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BlobHashMismatchError, DirectoryBlobStore, sha256Hex } from '../../server/src/blobs.ts';

describe('DirectoryBlobStore', () => {
  let dir: string;
  let store: DirectoryBlobStore;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'wingcheck-blob-test-'));
    store = new DirectoryBlobStore(dir);
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const bytes = new TextEncoder().encode('a photo, as far as this test cares');
  const hash = sha256Hex(bytes);

  it('stores bytes under their hash and gives them back', async () => {
    expect(await store.has(hash)).toBe(false);
    await store.put(hash, bytes);
    expect(await store.has(hash)).toBe(true);
    const stream = await store.get(hash);
    expect(stream).not.toBeNull();
    if (stream) expect(await text(stream)).toBe('a photo, as far as this test cares');
  });

  it('is idempotent: the same bytes twice leave one file and no temp files', async () => {
    await store.put(hash, bytes);
    await store.put(hash, bytes);
    const files = await readdir(path.join(dir, hash.slice(0, 2), hash.slice(2, 4)));
    expect(files).toEqual([hash]);
  });

  it('refuses bytes that do not match the hash, and stores nothing', async () => {
    const other = sha256Hex(new TextEncoder().encode('something else'));
    await expect(store.put(other, bytes)).rejects.toThrow(BlobHashMismatchError);
    expect(await store.has(other)).toBe(false);
  });

  async function* inPieces(data: Uint8Array, size = 5) {
    for (let at = 0; at < data.length; at += size) yield await Promise.resolve(data.subarray(at, at + size));
  }

  it('stores bytes that arrive in pieces, once, and refuses pieces that do not make the hash, storing nothing', async () => {
    await store.putStream(hash, bytes.byteLength, inPieces(bytes));
    await store.putStream(hash, bytes.byteLength, inPieces(bytes, 3));
    const stream = await store.get(hash);
    if (stream) expect(await text(stream)).toBe('a photo, as far as this test cares');
    expect(await readdir(path.join(dir, hash.slice(0, 2), hash.slice(2, 4)))).toEqual([hash]);
    const other = sha256Hex(new TextEncoder().encode('something else'));
    await expect(store.putStream(other, bytes.byteLength, inPieces(bytes))).rejects.toThrow(BlobHashMismatchError);
    expect(await store.has(other)).toBe(false);
    // Held already: the bytes must still be these.
    await expect(store.putStream(hash, 6, inPieces(new TextEncoder().encode('forged')))).rejects.toThrow(BlobHashMismatchError);
  });

  it('passes on what the source throws, leaving no file behind', async () => {
    async function* failing() {
      yield await Promise.resolve(bytes.subarray(0, 4));
      throw new Error('the connection broke');
    }
    await expect(store.putStream(hash, bytes.byteLength, failing())).rejects.toThrow('the connection broke');
    expect(await store.has(hash)).toBe(false);
    expect(await readdir(path.join(dir, hash.slice(0, 2), hash.slice(2, 4)))).toEqual([]);
  });

  it('refuses keys that are not SHA-256 digests (no path tricks)', async () => {
    await expect(store.put('../../etc/passwd', bytes)).rejects.toThrow(/not a SHA-256/);
    expect(await store.get('AB'.repeat(32))).toBeNull();
  });
});
