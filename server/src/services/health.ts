/** Whether the server can serve: the health endpoint's questions of the database and the photo store. */
import type { BlobStore } from '../blobs.ts';
import type { Queryable } from '../db/client.ts';

/** How long each is given to answer: a probe that hangs is no use to a load balancer. */
export const HEALTH_TIMEOUT_MS = 5_000;

/** Resolves when the database answers a trivial query; rejects with its error when it does not. */
export async function pingDatabase(db: Queryable): Promise<void> {
  await db.query('SELECT 1');
}

/** The parts that did not answer in time (empty when all did), each with its error. */
export async function unavailableParts(db: Queryable, blobs: BlobStore): Promise<{ part: 'database' | 'blobs'; error: unknown }[]> {
  const probe = async (part: 'database' | 'blobs', check: () => Promise<void>) => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(new Error(`no answer in ${HEALTH_TIMEOUT_MS / 1000} s`));
      }, HEALTH_TIMEOUT_MS);
    });
    try {
      await Promise.race([check(), late]);
      return null;
    } catch (error) {
      return { part, error };
    } finally {
      clearTimeout(timer);
    }
  };
  const results = await Promise.all([probe('database', () => pingDatabase(db)), probe('blobs', () => blobs.check())]);
  return results.filter((r) => r !== null);
}
