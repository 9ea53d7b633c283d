import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { buildApp } from './app.ts';
import { DirectoryBlobStore } from './blobs.ts';
import { openBlobStore } from './open-blob-store.ts';
import { systemClock } from './clock.ts';
import { loadConfig, StartupError } from './config.ts';
import { ensureWritableDir } from './data-dir.ts';
import { BackupError, takeBackup } from './backup.ts';
import { lockDataDir, RequestError, type DataDirLock } from './data-lock.ts';
import { exclusively } from './maintenance.ts';
import { DEMO_ESTABLISHMENT, seedDemo, type DemoSeed } from './db/demo.ts';
import { migrate } from './db/migrate.ts';
import { chainEvidenceStoredBefore } from './evidence-chain.ts';
import { safeError } from './safe-logging.ts';
import { pushSettings, scheduleReminders } from './services/push.ts';
import { scheduleRetention } from './services/retention.ts';
import { startExportWorker, workerLog, type ExportWorker } from './services/export/worker.ts';
import { ensureBuiltinTemplatesEverywhere } from './services/templates.ts';
import { openDatabase } from './db/open.ts';

const ServerRequest = z.object({ request: z.literal('backup'), to: z.string().refine((to) => path.isAbsolute(to)) });

const STATIC_DIR = fileURLToPath(new URL('../../dist/', import.meta.url));

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  await ensureWritableDir(config.dataDir);
  // Before the database opens: the embedded engine is one process's, and a second server on the
  // same folder would overwrite the first's confirmed writes. With DATABASE_URL no lock: several
  // servers may share PostgreSQL (it arbitrates) and the blob folder (content-addressed files
  // written by atomic rename, so two writers of one photo write the same bytes).
  const lock: DataDirLock | null = config.database.engine === 'pglite' ? await lockDataDir(config.dataDir) : null;
  const db = await openDatabase(config.database);
  await migrate(db);
  const chained = await chainEvidenceStoredBefore(db);
  if (chained > 0) console.log(`${chained} pieces of evidence stored by an earlier version entered the audit chain.`);
  await ensureBuiltinTemplatesEverywhere(db);
  // Made before seeding: the demo's history stores its photos in it.
  const blobs = await openBlobStore(config.blobs);
  let demo: DemoSeed = { outcome: 'none' };
  // Production never gets demo users, and so no history: the person's NODE_ENV decides (config.ts).
  const usersPassword = config.production ? undefined : (config.demoPassword ?? randomBytes(12).toString('base64url'));
  if (db.engine === 'pglite') demo = await seedDemo(db, { usersPassword, history: { blobs, now: systemClock.now() } });
  const madeUsers = demo.outcome === 'none' ? [] : demo.users;
  const demoPasswordToShow = madeUsers.length > 0 && config.demoPassword === undefined ? usersPassword : undefined;

  // Started once the app (and its logger) is: until then a pack asked for waits for the first poll.
  let exportWorker: ExportWorker | null = null;
  const app = await buildApp({
    db,
    blobs,
    clock: systemClock,
    staticDir: STATIC_DIR,
    logger: { level: config.logLevel },
    trustProxy: config.trustProxy,
    oidc: config.oidc,
    localPasswords: config.localPasswords,
    publicUrl: config.publicUrl,
    exportWorker: { wake: () => exportWorker?.wake() },
    pushServiceOrigins: config.pushServiceOrigins,
  });
  if (config.exportWorker === 'in-process') exportWorker = startExportWorker({ db, blobs, clock: systemClock, log: workerLog(app.log) });

  const retention = scheduleRetention(
    { db, blobs, now: () => systemClock.now(), exclusively },
    (error) => {
      app.log.error({ err: safeError(error) }, 'the retention purge failed; it runs again tomorrow');
    },
  );

  // Every server on the database runs it: each reminder's claim (push_reminders_sent) lets one send it.
  const reminders = scheduleReminders({
    db,
    push: pushSettings(config.pushServiceOrigins, config.publicUrl),
    log: app.log,
    now: () => systemClock.now(),
  });

  let closing = false;
  const shutdown = (): void => {
    if (closing) return;
    closing = true;
    // A pack being made goes back to the queue; pushes in flight are answered, and a purge or reminder
    // run under way finishes, before the database closes. The folder is let go only once the database
    // has written everything back to it.
    void Promise.all([exportWorker?.stop(), app.close(), retention.stop(), reminders.stop()])
      .finally(() => db.close())
      .finally(() => lock?.release())
      .finally(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);

  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    await db.close();
    await lock?.release();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw new StartupError(`Port ${config.port} is already in use: stop the other program or set PORT to a free port`);
    }
    if (code === 'EACCES') {
      throw new StartupError(`Not allowed to listen on port ${config.port}: set PORT to a port above 1023`);
    }
    throw error;
  }

  // Commands beside the server (wingcheck backup) ask it over the lock's socket.
  lock?.serve(async (request, progress) => {
    const parsed = ServerRequest.safeParse(request);
    if (!parsed.success) throw new RequestError('this server does not know that request: is the command from another version?');
    const { to } = parsed.data;
    if (!(blobs instanceof DirectoryBlobStore)) {
      throw new RequestError('this server keeps its photos in object storage (WINGCHECK_S3_ENDPOINT): back up the bucket with the object store\'s own tools; wingcheck backup copies a photo folder');
    }
    const blobsDir = blobs.root;
    const backup = () => takeBackup({ db, blobsDir, to, now: () => systemClock.now() }, progress);
    return exclusively(backup).catch((error: unknown) => {
      throw error instanceof BackupError ? new RequestError(error.message) : error;
    });
  });

  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const where = config.database.engine === 'pglite' ? `embedded database in ${config.database.dataDir}` : 'PostgreSQL';
  if (demoPasswordToShow) {
    // Shown this once and never stored in clear: set WINGCHECK_DEMO_PASSWORD to choose it instead.
    console.log(`Demo users ${madeUsers.join(', ')} have the password: ${demoPasswordToShow}`);
  }
  // After listening, so that a start that fails still says only why.
  for (const warning of config.warnings) console.warn(`Warning: ${warning}`);
  if (config.oidc) {
    const passwords = config.localPasswords ? 'passwords still work' : 'passwords switched off';
    console.log(`Single sign-on through ${config.oidc.name} at ${config.oidc.issuer} (${passwords})`);
  }
  const done = describeDemo(demo, config.production);
  console.log(`Wingcheck is running at http://${shownHost}:${config.port} (${where}${done ? `, ${done}` : ''})`);
}

/** What the demo seed did, in the words of the start-up line; null when it did nothing. */
function describeDemo(demo: DemoSeed, production: boolean): string | null {
  switch (demo.outcome) {
    case 'none':
      return null;
    case 'mended':
      return `demo users ${demo.users.join(', ')} created for ${DEMO_ESTABLISHMENT}, which had none`;
    case 'created': {
      if (demo.users.length === 0) {
        return `demo establishment ${DEMO_ESTABLISHMENT} created without demo users${production ? ' (NODE_ENV=production)' : ''}`;
      }
      const made = `demo data created: ${DEMO_ESTABLISHMENT} with demo users ${demo.users.join(', ')}`;
      const h = demo.history;
      if (!h) return made;
      const counts = [`${h.checks} checks`, `${h.notes} notes`, `${h.accepted} accepted and ${h.returned} returned`, `${h.statusChanges} status changes`];
      return `${made}, and history from ${h.from} to ${h.to}: ${counts.join(', ')}`;
    }
  }
}

main().catch((error: unknown) => {
  if (error instanceof StartupError) {
    console.error(`Wingcheck could not start: ${error.message}`);
  } else {
    console.error(`Wingcheck could not start: ${error instanceof Error ? error.message : String(error)}`);
    // The stack, but never the values an error may carry (safe-logging.ts).
    if (process.env.LOG_LEVEL === 'debug' || process.env.LOG_LEVEL === 'trace') console.error(safeError(error).stack);
  }
  process.exit(1);
});
