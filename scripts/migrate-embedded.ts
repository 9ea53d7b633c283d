/**
 * npm run --silent migrate:embedded -- --to "$DATABASE_URL"   (WINGCHECK_S3_* and AWS_* set)
 * Moves the embedded install in WINGCHECK_DATA_DIR (default ./data) to PostgreSQL and object
 * storage, with the server stopped: every table's rows into the (empty) database at --to, every
 * photo into the bucket, then verifies (row counts, audit chains, evidence, photos in the bucket).
 * Prints one line of JSON saying what it copied and verified; any refusal or mismatch is one line
 * on stderr and exit code 1. Progress goes to stderr.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { S3BlobStore } from '../server/src/blobs-s3.ts';
import { loadConfig, parseDatabaseUrl, StartupError } from '../server/src/config.ts';
import { openPglite, openPostgres } from '../server/src/db/client.ts';
import { migrate } from '../server/src/db/migrate.ts';
import { lockDataDir, RequestError } from '../server/src/data-lock.ts';
import { MigrationRefusal, migrateEmbedded } from '../server/src/services/migrate-embedded.ts';

class UsageError extends Error {}

const USAGE = 'npm run --silent migrate:embedded -- --to postgres://user:password@host:5432/database (with WINGCHECK_S3_ENDPOINT, _BUCKET and AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY set)';

async function main(args: string[]): Promise<void> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  let to: string | undefined;
  try {
    ({ values: { to } } = parseArgs({ args, options: { to: { type: 'string' } }, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message.split('\n')[0] ?? 'bad options'}: ${USAGE}`);
  }
  if (!to) throw new UsageError(`--to is required: ${USAGE}`);
  const targetUrl = parseDatabaseUrl(to);
  const config = loadConfig(process.env);
  if (config.blobs.kind !== 's3') throw new UsageError(`set WINGCHECK_S3_ENDPOINT (and its bucket and credentials) to say where the photos go: ${USAGE}`);
  // The embedded database is one process's: this refuses while a server has the folder.
  const lock = await lockDataDir(config.dataDir);
  try {
    const blobs = new S3BlobStore(config.blobs.s3);
    await blobs.ensureBucket();
    const source = await openPglite({ dataDir: path.join(config.dataDir, 'pglite') });
    try {
      await migrate(source);
      const target = await openPostgres(targetUrl, { max: 2 });
      try {
        await migrate(target);
        const report = await migrateEmbedded({ source, target, photoDir: path.join(config.dataDir, 'blobs'), blobs }, (line) => {
          process.stderr.write(`${line}\n`);
        });
        process.stdout.write(`${JSON.stringify(report)}\n`);
      } finally {
        await target.close();
      }
    } finally {
      await source.close();
    }
  } finally {
    await lock.release();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  const known = [UsageError, StartupError, MigrationRefusal, RequestError].some((kind) => error instanceof kind);
  process.stderr.write(`migrate:embedded: ${known ? message : `unexpected error: ${message}`}\n`);
  process.exitCode = 1;
});
