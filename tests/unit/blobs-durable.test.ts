// A photo is acknowledged only once it would survive a power cut: its bytes synced before the
// rename that names them, and the folders holding the new names synced after it.
import * as fsPromises from 'node:fs/promises';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DirectoryBlobStore, sha256Hex, type BlobFileSystem } from '../../server/src/blobs.ts';

type Event = ['sync', string] | ['rename', string, string];

/** The real file system, noting each fsync (by path) and rename in order; `failSync` makes a file's fsync fail. */
function recordingFs(events: Event[], failSync: (file: string) => boolean = () => false): BlobFileSystem {
  return {
    ...fsPromises,
    async open(...args: Parameters<typeof fsPromises.open>) {
      const handle = await fsPromises.open(...args);
      const file = String(args[0]);
      const sync = handle.sync.bind(handle);
      handle.sync = async () => {
        if (failSync(file)) throw Object.assign(new Error(`EIO: i/o error, fsync '${file}'`), { code: 'EIO' });
        await sync();
        events.push(['sync', file]);
      };
      return handle;
    },
    async rename(from: Parameters<typeof fsPromises.rename>[0], to: Parameters<typeof fsPromises.rename>[1]) {
      await fsPromises.rename(from, to);
      events.push(['rename', String(from), String(to)]);
    },
  };
}

describe('DirectoryBlobStore durability', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'wingcheck-blob-durable-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const bytes = new TextEncoder().encode('a photo that must survive a power cut');
  const hash = sha256Hex(bytes);
  const root = () => path.join(dir, 'blobs');
  const folder = () => path.join(root(), hash.slice(0, 2), hash.slice(2, 4));
  const target = () => path.join(folder(), hash);

  it('syncs the file before renaming it, then its folder and every folder it made, before put resolves', async () => {
    const events: Event[] = [];
    await new DirectoryBlobStore(root(), recordingFs(events)).put(hash, bytes);
    const renameAt = events.findIndex((event) => event[0] === 'rename' && event[2] === target());
    expect(renameAt).toBeGreaterThan(0);
    const temp = (events[renameAt] as ['rename', string, string])[1];
    const syncsBefore = events.slice(0, renameAt).map((event) => event[1]);
    const syncsAfter = events.slice(renameAt + 1).map((event) => event[1]);
    expect(syncsBefore).toEqual([temp]);
    // blobs/ab/cd holds the file, blobs/ab holds cd, blobs holds ab, and the data folder holds blobs.
    expect(syncsAfter.sort()).toEqual([folder(), path.dirname(folder()), root(), dir].sort());
  });

  it('syncs only the file and its folder when its folders exist already', async () => {
    await fsPromises.mkdir(folder(), { recursive: true });
    const events: Event[] = [];
    await new DirectoryBlobStore(root(), recordingFs(events)).put(hash, bytes);
    expect(events.map((event) => event[0])).toEqual(['sync', 'rename', 'sync']);
    expect(events[2]).toEqual(['sync', folder()]);
  });

  it('syncs the folders again on a repeat, so a retry is acknowledged only once the name is durable', async () => {
    const events: Event[] = [];
    const store = new DirectoryBlobStore(root(), recordingFs(events));
    await store.put(hash, bytes);
    events.length = 0;
    await store.put(hash, bytes);
    expect(events.map((event) => event[1]).sort()).toEqual([folder(), path.dirname(folder()), root()].sort());
  });

  it('stores nothing under the hash when the bytes cannot be synced, and leaves no temp file', async () => {
    const store = new DirectoryBlobStore(root(), recordingFs([], (file) => file.endsWith('.tmp')));
    await expect(store.put(hash, bytes)).rejects.toThrow(/EIO/);
    expect(await store.has(hash)).toBe(false);
    expect(await readdir(folder())).toEqual([]);
    // And a retry on a healthy disk stores it.
    await new DirectoryBlobStore(root()).put(hash, bytes);
    expect(await readdir(folder())).toEqual([hash]);
  });

  it('fails a stream cleanly when its file cannot be opened while its bytes are still arriving', async () => {
    const refusing: BlobFileSystem = {
      ...fsPromises,
      open: () => Promise.reject(Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' })),
    };
    let piecesRead = 0;
    async function* slowly() {
      for (const piece of [bytes.subarray(0, 10), bytes.subarray(10)]) {
        // The open fails while the first piece waits: that failure must neither end the process nor be lost.
        await new Promise((resolve) => setTimeout(resolve, 20));
        piecesRead += 1;
        yield piece;
      }
    }
    await expect(new DirectoryBlobStore(root(), refusing).putStream(hash, bytes.byteLength, slowly())).rejects.toThrow(/EACCES/);
    expect(piecesRead).toBe(2);
    expect(await new DirectoryBlobStore(root()).has(hash)).toBe(false);
    expect(await readdir(folder())).toEqual([]);
  });

  it('takes the same photo from several uploads at once: one file, no temp files', async () => {
    const store = new DirectoryBlobStore(root());
    await Promise.all(Array.from({ length: 8 }, () => store.put(hash, bytes)));
    expect(await readdir(folder())).toEqual([hash]);
    expect(Buffer.from(await fsPromises.readFile(target())).equals(Buffer.from(bytes))).toBe(true);
  });
});
