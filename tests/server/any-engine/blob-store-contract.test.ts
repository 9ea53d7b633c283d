// The blob-store contract, run against both stores the server can use: the folder beside it (the
// embedded default) and S3-compatible object storage (a real S3 server on loopback, s3rver). The
// database engine plays no part, so this runs in one server suite.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buffer, text } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobHashMismatchError, DirectoryBlobStore, sha256Hex, type BlobStore } from '../../../server/src/blobs.ts';
import { S3BlobStore } from '../../../server/src/blobs-s3.ts';
import { S3_TEST_CREDENTIALS, startS3Server, type TestS3 } from '../../support/s3-server.ts';

interface Kind {
  name: string;
  open: () => Promise<{ store: BlobStore; close: () => Promise<void> }>;
}

let s3: TestS3;
let buckets = 0;

const kinds: Kind[] = [
  {
    name: 'folder',
    open: async () => {
      const dir = await mkdtemp(path.join(tmpdir(), 'wingcheck-contract-'));
      return { store: new DirectoryBlobStore(path.join(dir, 'blobs')), close: () => rm(dir, { recursive: true, force: true }) };
    },
  },
  {
    name: 's3',
    open: async () => {
      buckets += 1;
      const store = new S3BlobStore({ endpoint: s3.endpoint, bucket: `contract-${buckets}`, region: 'us-east-1', ...S3_TEST_CREDENTIALS });
      await store.ensureBucket();
      return { store, close: () => Promise.resolve() };
    },
  },
];

beforeAll(async () => {
  s3 = await startS3Server();
});
afterAll(async () => {
  await s3.stop();
});

async function* inPieces(data: Uint8Array, size: number) {
  for (let at = 0; at < data.length; at += size) yield await Promise.resolve(data.subarray(at, at + size));
}

describe.each(kinds)('the $name blob store', (kind) => {
  let store: BlobStore;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ store, close } = await kind.open());
  });
  afterAll(async () => {
    await close();
  });

  const photo = (label: string) => {
    const bytes = new TextEncoder().encode(`a photo: ${label} ${randomBytes(8).toString('hex')}`);
    return { bytes, sha: sha256Hex(bytes) };
  };

  it('says which kind it is and that it answers', async () => {
    expect(store.kind).toBe(kind.name);
    await expect(store.check()).resolves.toBeUndefined();
  });

  it('stores bytes under their hash and gives them back', async () => {
    const { bytes, sha } = photo('round trip');
    expect(await store.has(sha)).toBe(false);
    await store.put(sha, bytes);
    expect(await store.has(sha)).toBe(true);
    const stream = await store.get(sha);
    expect(stream && (await text(stream))).toBe(new TextDecoder().decode(bytes));
  });

  it('is idempotent: the same bytes again, whole or in pieces, change nothing', async () => {
    const { bytes, sha } = photo('twice');
    await store.put(sha, bytes);
    await store.put(sha, bytes);
    await store.putStream(sha, bytes.byteLength, inPieces(bytes, 3));
    const stream = await store.get(sha);
    expect(stream && Buffer.from(await buffer(stream)).equals(Buffer.from(bytes))).toBe(true);
  });

  it('streams a photo of several megabytes in and out, byte for byte', async () => {
    const bytes = randomBytes(3 * 1024 * 1024 + 17);
    const sha = sha256Hex(bytes);
    await store.putStream(sha, bytes.byteLength, inPieces(bytes, 64 * 1024));
    const stream = await store.get(sha);
    expect(stream).not.toBeNull();
    let pieces = 0;
    const chunks: Buffer[] = [];
    for await (const chunk of stream ?? []) {
      pieces += 1;
      chunks.push(chunk as Buffer);
    }
    // Streamed, not handed over whole.
    expect(pieces).toBeGreaterThan(1);
    expect(sha256Hex(Buffer.concat(chunks))).toBe(sha);
  });

  it('refuses bytes that do not match the hash, and keeps nothing under it', async () => {
    const { bytes } = photo('forged');
    const claimed = photo('claimed').sha;
    await expect(store.put(claimed, bytes)).rejects.toThrow(BlobHashMismatchError);
    await expect(store.putStream(claimed, bytes.byteLength, inPieces(bytes, 4))).rejects.toThrow(BlobHashMismatchError);
    expect(await store.has(claimed)).toBe(false);
  });

  it('refuses a stream with more or fewer bytes than it announced, keeping nothing', async () => {
    const { bytes, sha } = photo('wrong size');
    await expect(store.putStream(sha, bytes.byteLength + 5, inPieces(bytes, 4))).rejects.toThrow(BlobHashMismatchError);
    await expect(store.putStream(sha, bytes.byteLength - 5, inPieces(bytes, 4))).rejects.toThrow(BlobHashMismatchError);
    expect(await store.has(sha)).toBe(false);
  });

  it('passes on what the source throws, keeping nothing', async () => {
    const { bytes, sha } = photo('cut');
    async function* cut() {
      yield await Promise.resolve(bytes.subarray(0, 4));
      throw new Error('the connection broke');
    }
    await expect(store.putStream(sha, bytes.byteLength, cut())).rejects.toThrow('the connection broke');
    expect(await store.has(sha)).toBe(false);
  });

  it('answers a missing photo with null, and removes what it holds (removing what is absent is a no-op)', async () => {
    const { bytes, sha } = photo('removed');
    expect(await store.get(sha)).toBeNull();
    await store.delete(sha);
    await store.put(sha, bytes);
    await store.delete(sha);
    expect(await store.has(sha)).toBe(false);
    expect(await store.get(sha)).toBeNull();
  });

  it('refuses keys that are not SHA-256 digests (no path tricks)', async () => {
    const { bytes } = photo('tricks');
    await expect(store.put('../../etc/passwd', bytes)).rejects.toThrow(/not a SHA-256/);
    // No photo is stored under such a key: asking for one finds nothing.
    expect(await store.get('../x')).toBeNull();
    expect(await store.has('AB'.repeat(32))).toBe(false);
  });
});

describe('the s3 blob store when the object store does not answer', () => {
  it('fails its readiness check and its requests with an error, never hanging', async () => {
    const { freePort } = await import('../../support/ports.ts');
    const store = new S3BlobStore({ endpoint: `http://127.0.0.1:${await freePort()}`, bucket: 'none', region: 'us-east-1', ...S3_TEST_CREDENTIALS });
    await expect(store.check()).rejects.toThrow(/ECONNREFUSED/);
    await expect(store.has('ab'.repeat(32))).rejects.toThrow(/ECONNREFUSED/);
  });
});
