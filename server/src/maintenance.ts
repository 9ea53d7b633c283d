/**
 * Work on the whole install that must not overlap inside one server: a backup copies the photos
 * the database names, and a retention purge removes photos, so a purge waits for the backup (and
 * the other way round) rather than leaving the backup naming a photo it could not copy.
 */
let queue: Promise<unknown> = Promise.resolve();

export function exclusively<T>(work: () => Promise<T>): Promise<T> {
  const run = queue.then(work, work);
  queue = run.catch(() => undefined);
  return run;
}
