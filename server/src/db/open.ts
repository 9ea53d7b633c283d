import { StartupError, type DatabaseConfig } from '../config.ts';
import { openPglite, openPostgres, type Db } from './client.ts';

const PG_REASONS: Record<string, string> = {
  'ECONNREFUSED': 'connection refused: is PostgreSQL running there?',
  'ENOTFOUND': 'host not found',
  'EAI_AGAIN': 'host not found',
  'ETIMEDOUT': 'timed out',
  '28P01': 'wrong user name or password',
  '28000': 'the server refused this user',
  '3D000': 'that database does not exist',
};

function describeTarget(url: string): string {
  const parsed = new URL(url);
  // Never the password: this line ends up in terminals and logs.
  return `${parsed.hostname || 'localhost'}:${parsed.port || '5432'}${parsed.pathname}`;
}

/** Opens the configured database, turning connection failures into one readable line. */
export async function openDatabase(config: DatabaseConfig): Promise<Db> {
  if (config.engine === 'pglite') {
    try {
      return await openPglite({ dataDir: config.dataDir });
    } catch (error) {
      throw new StartupError(`Cannot open the embedded database in ${config.dataDir}: ${(error as Error).message}`);
    }
  }
  try {
    return await openPostgres(config.url);
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    const reason = PG_REASONS[code] ?? (error as Error).message;
    throw new StartupError(`Cannot connect to PostgreSQL at ${describeTarget(config.url)} (${reason}): check DATABASE_URL`);
  }
}
