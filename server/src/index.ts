import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from './app.ts';
import { DirectoryBlobStore } from './blobs.ts';
import { systemClock } from './clock.ts';
import { loadConfig, StartupError } from './config.ts';
import { ensureWritableDir } from './data-dir.ts';
import { DEMO_USERS, seedDemo } from './db/demo.ts';
import { migrate } from './db/migrate.ts';
import { ensureBuiltinTemplatesEverywhere } from './services/templates.ts';
import { openDatabase } from './db/open.ts';

const STATIC_DIR = fileURLToPath(new URL('../../dist/', import.meta.url));

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  await ensureWritableDir(config.dataDir);
  const db = await openDatabase(config.database);
  await migrate(db);
  await ensureBuiltinTemplatesEverywhere(db);
  let seeded = false;
  let demoPasswordToShow: string | null = null;
  if (db.engine === 'pglite') {
    const usersPassword = config.production ? undefined : (config.demoPassword ?? randomBytes(12).toString('base64url'));
    seeded = await seedDemo(db, { usersPassword });
    if (seeded && usersPassword !== undefined && config.demoPassword === undefined) demoPasswordToShow = usersPassword;
  }

  const app = await buildApp({
    db,
    blobs: new DirectoryBlobStore(path.join(config.dataDir, 'blobs')),
    clock: systemClock,
    staticDir: STATIC_DIR,
    logger: { level: config.logLevel },
    trustProxy: config.trustProxy,
  });

  let closing = false;
  const shutdown = (): void => {
    if (closing) return;
    closing = true;
    void app.close().finally(() => db.close().finally(() => process.exit(0)));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);

  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    await db.close();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw new StartupError(`Port ${config.port} is already in use: stop the other program or set PORT to a free port`);
    }
    if (code === 'EACCES') {
      throw new StartupError(`Not allowed to listen on port ${config.port}: set PORT to a port above 1023`);
    }
    throw error;
  }

  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const where = config.database.engine === 'pglite' ? `embedded database in ${config.database.dataDir}` : 'PostgreSQL';
  if (demoPasswordToShow) {
    // Shown this once and never stored in clear: set WINGCHECK_DEMO_PASSWORD to choose it instead.
    console.log(`Demo users ${DEMO_USERS.map((u) => u.username).join(', ')} have the password: ${demoPasswordToShow}`);
  }
  console.log(`Wingcheck is running at http://${shownHost}:${config.port} (${where}${seeded ? ', demo data created' : ''})`);
}

main().catch((error: unknown) => {
  if (error instanceof StartupError) {
    console.error(`Wingcheck could not start: ${error.message}`);
  } else {
    console.error(`Wingcheck could not start: ${error instanceof Error ? error.message : String(error)}`);
    if (process.env.LOG_LEVEL === 'debug' || process.env.LOG_LEVEL === 'trace') console.error(error);
  }
  process.exit(1);
});
