import { DirectoryBlobStore, type BlobStore } from './blobs.ts';
import { S3BlobStore } from './blobs-s3.ts';
import { StartupError, type Config } from './config.ts';

/** The configured photo store, ready: the bucket made if it is missing (several servers may race to make it). */
export async function openBlobStore(blobs: Config['blobs']): Promise<BlobStore> {
  if (blobs.kind === 'folder') return new DirectoryBlobStore(blobs.dir);
  const store = new S3BlobStore(blobs.s3);
  try {
    await store.ensureBucket();
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new StartupError(`The object store at WINGCHECK_S3_ENDPOINT (${blobs.s3.endpoint}) did not let this server use bucket "${blobs.s3.bucket}": ${why}`);
  }
  return store;
}
