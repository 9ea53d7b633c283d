/**
 * npm run --silent wingcheck -- <command> [options]
 * Setting up and looking after an install without the demo: create an establishment and its
 * first administrator, give someone a one-time password, list what is there. Works on the embedded
 * database with the server stopped (the data folder is one process's) and on PostgreSQL
 * (DATABASE_URL) at any time. Each command prints one line of JSON; an error is one line on stderr
 * and exit code 1.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { hashPassword } from '../server/src/auth/passwords.ts';
import { BackupError, restoreBackup, takeBackup } from '../server/src/backup.ts';
import { loadConfig, StartupError, type Config } from '../server/src/config.ts';
import { openPglite, type Db } from '../server/src/db/client.ts';
import { migrate } from '../server/src/db/migrate.ts';
import { openDatabase } from '../server/src/db/open.ts';
import { ensureWritableDir } from '../server/src/data-dir.ts';
import { askHolder, lockDataDir, RequestError, type DataDirLock } from '../server/src/data-lock.ts';
import { createEstablishment, listEstablishments, resetPasswordEverywhere, SetupRefusal } from '../server/src/services/establishments.ts';
import { Username } from '../src/shared/auth.ts';
import { SafeText } from '../src/shared/text.ts';

class CliError extends Error {}

type Values = Record<string, string | undefined>;

interface Command {
  usage: string;
  summary: string;
  options: Record<string, { type: 'string'; description: string }>;
  /** Works on the open, migrated database (the embedded one only with the server stopped). */
  run?: (db: Db, values: Values) => Promise<unknown>;
  /** Works on the install itself: opens (or asks the running server for) what it needs. */
  runOnInstall?: (config: Config, values: Values) => Promise<unknown>;
}

/** Long enough not to guess in the hours before it is replaced; only readable characters. */
const oneTimePassword = () => randomBytes(12).toString('base64url');

const timeZone = z.string().refine((zone) => {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}, 'is not a time zone (for example Europe/London)');

const CreateEstablishment = z.object({
  'name': SafeText(200).trim().min(1, 'is required'),
  'time-zone': timeZone.default('Europe/London'),
  'admin-username': Username,
  'admin-name': SafeText(200).trim().min(1, 'is required'),
});

function parse<T extends z.ZodType>(schema: T, values: Values): z.infer<T> {
  const result = schema.safeParse(values);
  if (result.success) return result.data;
  const [issue] = result.error.issues;
  throw new CliError(`--${issue?.path.join('.') ?? 'option'} ${issue?.message ?? 'is invalid'}`);
}

/** Progress for a person watching; nothing when the output goes to a file or another program. */
const progress = (message: string): void => {
  if (process.stderr.isTTY) process.stderr.write(`wingcheck: ${message}\n`);
};

const Folder = z.string({ message: 'is required' }).trim().min(1, 'is required')
  .transform((dir) => path.resolve(dir));

const EMBEDDED_ONLY = 'backs up the embedded install; with DATABASE_URL back up PostgreSQL and the photos with their own tools (README, "Backing up")';

async function backup(config: Config, values: Values): Promise<unknown> {
  const { to } = parse(z.object({ to: Folder }), values);
  if (config.database.engine !== 'pglite') throw new CliError(`backup ${EMBEDDED_ONLY}`);
  const blobsDir = path.join(config.dataDir, 'blobs');
  // A running server has the database: it takes the backup itself, between its transactions.
  try {
    const answer = await askHolder(config.dataDir, { request: 'backup', to }, progress);
    if (answer !== 'no-server') return { backup: answer };
  } catch (error) {
    if (error instanceof RequestError) throw new CliError(error.message);
    throw error;
  }
  const take = (db: Db) => takeBackup({ db, blobsDir, to, now: () => new Date() }, progress);
  return withDatabase(config, async (db) => ({ backup: await take(db) }));
}

async function restore(config: Config, values: Values): Promise<unknown> {
  const { from } = parse(z.object({ from: Folder }), values);
  if (config.database.engine !== 'pglite') throw new CliError(`restore ${EMBEDDED_ONLY}`);
  const pgliteDir = config.database.dataDir;
  await ensureWritableDir(config.dataDir);
  // Taken first: no server may start on the folder while it is being filled.
  const lock = await lockDataDir(config.dataDir);
  try {
    const restored = await restoreBackup(
      { from, pgliteDir, blobsDir: path.join(config.dataDir, 'blobs'), openDb: (dump) => openPglite({ dataDir: pgliteDir, loadDataDir: dump }) },
      progress,
    );
    return { restored: { ...restored, to: config.dataDir } };
  } finally {
    await lock.release();
  }
}

const COMMANDS: Record<string, Command> = {
  'create-establishment': {
    usage: 'create-establishment --name NAME [--time-zone ZONE] --admin-username USERNAME --admin-name "FULL NAME"',
    summary: 'Creates an establishment and its first administrator, who signs in with a one-time password and must then choose their own.',
    options: {
      'name': { type: 'string', description: 'the establishment, as staff know it: "HMP Example"' },
      'time-zone': { type: 'string', description: 'where its days begin and end (default Europe/London)' },
      'admin-username': { type: 'string', description: 'the first administrator\'s username: letters, digits, dots, dashes' },
      'admin-name': { type: 'string', description: 'the first administrator\'s name, as shown to others' },
    },
    run: async (db, values) => {
      const input = parse(CreateEstablishment, values);
      const password = oneTimePassword();
      const passwordHash = await hashPassword(password);
      const created = await createEstablishment(
        db,
        { name: input.name, timeZone: input['time-zone'], adminUsername: input['admin-username'], adminName: input['admin-name'], passwordHash },
        new Date(),
      );
      return {
        establishment: { id: created.id, name: input.name },
        admin: { username: input['admin-username'], oneTimePassword: password },
      };
    },
  },
  'reset-password': {
    usage: 'reset-password --username USERNAME',
    summary: 'Gives someone a one-time password (they must choose their own after signing in) and signs them out everywhere.',
    options: { username: { type: 'string', description: 'whose password to reset' } },
    run: async (db, values) => {
      const { username } = parse(z.object({ username: Username }), values);
      const password = oneTimePassword();
      const passwordHash = await hashPassword(password);
      await resetPasswordEverywhere(db, username, passwordHash, new Date());
      return { username, oneTimePassword: password };
    },
  },
  'list-establishments': {
    usage: 'list-establishments',
    summary: 'Lists the establishments with their time zone, administrators and number of people.',
    options: {},
    run: async (db) => {
      return { establishments: await listEstablishments(db) };
    },
  },
  'backup': {
    usage: 'backup --to FOLDER',
    summary: 'Copies the embedded install (database and photos) into a new folder, while the server runs or not.',
    options: { to: { type: 'string', description: 'a new or empty folder to hold the backup' } },
    runOnInstall: backup,
  },
  'restore': {
    usage: 'restore --from FOLDER',
    summary: 'Restores a backup into an empty data folder (WINGCHECK_DATA_DIR) and verifies its audit chain.',
    options: { from: { type: 'string', description: 'a folder made by backup' } },
    runOnInstall: restore,
  },
};

function help(): string {
  const lines = ['usage: npm run --silent wingcheck -- <command> [options]', '', 'commands:'];
  for (const [name, command] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(22)} ${command.summary}`);
  lines.push('', 'Each prints one line of JSON. "<command> --help" says more. The database is the server\'s:',
    'DATABASE_URL for PostgreSQL, else the embedded one in WINGCHECK_DATA_DIR (default ./data), which needs the server stopped',
    '(backup asks a running server to take the copy).');
  return lines.join('\n');
}

function commandHelp(command: Command): string {
  const options = Object.entries(command.options).map(([option, { description }]) => `  --${option.padEnd(16)} ${description}`);
  return [`usage: npm run --silent wingcheck -- ${command.usage}`, '', command.summary, ...(options.length ? ['', ...options] : [])].join('\n');
}

async function main(args: string[]): Promise<void> {
  const [name, ...rest] = args;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${help()}\n`);
    return;
  }
  const command = COMMANDS[name];
  if (!command) throw new CliError(`unknown command "${name}": see npm run --silent wingcheck -- --help`);
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${commandHelp(command)}\n`);
    return;
  }
  let values: Record<string, string | undefined>;
  try {
    const parsed = parseArgs({ args: rest, options: command.options, strict: true, allowPositionals: false });
    values = parsed.values;
  } catch (error) {
    throw new CliError(`${(error as Error).message.split('\n')[0] ?? 'bad options'}: see npm run --silent wingcheck -- ${name} --help`);
  }

  const config = loadConfig(process.env);
  const result = command.runOnInstall
    ? await command.runOnInstall(config, values)
    : await withDatabase(config, async (db) => {
        await migrate(db);
        return command.run?.(db, values);
      });
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/** The server's database, opened as the server opens it: the embedded one only while no server has it. */
async function withDatabase<T>(config: Config, use: (db: Db) => Promise<T>): Promise<T> {
  let lock: DataDirLock | null = null;
  if (config.database.engine === 'pglite') {
    await ensureWritableDir(config.dataDir);
    // The embedded database is one process's: with the server running, it has the folder.
    lock = await lockDataDir(config.dataDir);
  }
  const db = await openDatabase(config.database);
  try {
    return await use(db);
  } finally {
    await db.close();
    await lock?.release();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  const known = [CliError, SetupRefusal, StartupError, BackupError].some((kind) => error instanceof kind);
  process.stderr.write(`wingcheck: ${known ? message : `unexpected error: ${message}`}\n`);
  process.exitCode = 1;
});
