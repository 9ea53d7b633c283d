/**
 * `npm run worker`: a process that only makes queued evidence packs, for a national deployment
 * whose web servers run with WINGCHECK_EXPORT_WORKER=off so that rendering a big pack never slows
 * a tablet's sync. It reads the same settings as the server (DATABASE_URL, WINGCHECK_S3_*).
 */
import { systemClock } from './clock.ts';
import { loadConfig, StartupError } from './config.ts';
import { openDatabase } from './db/open.ts';
import { migrate } from './db/migrate.ts';
import { openBlobStore } from './open-blob-store.ts';
import { safeError } from './safe-logging.ts';
import { startExportWorker } from './services/export/worker.ts';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  if (config.database.engine === 'pglite') {
    throw new StartupError('DATABASE_URL is not set: the embedded database belongs to one process, so its server makes the packs itself');
  }
  const db = await openDatabase(config.database);
  await migrate(db);
  const blobs = await openBlobStore(config.blobs);
  const worker = startExportWorker({
    db,
    blobs,
    clock: systemClock,
    log: {
      info: (message) => {
        console.log(message);
      },
      error: (error, message) => {
        const { type, message: why } = safeError(error);
        console.error(`${message} (${type}: ${why})`);
      },
    },
  });
  const shutdown = (): void => {
    // A pack being made goes back to the queue for another worker.
    void worker.stop().finally(() => db.close()).finally(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  console.log(`Wingcheck pack worker is running (PostgreSQL, photos in ${config.blobs.kind === 's3' ? 'object storage' : config.blobs.dir})`);
}

main().catch((error: unknown) => {
  console.error(`The Wingcheck pack worker could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
