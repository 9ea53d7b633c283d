import path from 'node:path';
import { z } from 'zod';

/** A problem a person can fix: printed as one line, never with a stack trace. */
export class StartupError extends Error {
  override name = 'StartupError';
}

export type DatabaseConfig
  = | { engine: 'pglite'; dataDir: string }
    | { engine: 'postgres'; url: string };

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  database: DatabaseConfig;
  logLevel: string;
  /** Trust X-Forwarded-* from a reverse proxy: true (any), or the proxies' addresses/CIDRs. */
  trustProxy: boolean | string;
  /** Demo users are never made in production. */
  production: boolean;
  /** The demo users' password, if the operator chose one. */
  demoPassword: string | undefined;
}

const portSchema = z.coerce
  .number({ message: 'must be a number' })
  .int('must be a whole number')
  .min(1, 'must be between 1 and 65535')
  .max(65535, 'must be between 1 and 65535');

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Checks a PostgreSQL connection string without ever echoing its password. */
export function parseDatabaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new StartupError(
      'DATABASE_URL is not a valid URL: expected postgres://user:password@host:5432/database',
    );
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new StartupError(
      `DATABASE_URL must start with postgres:// or postgresql://, not ${url.protocol}//`,
    );
  }
  if (!url.hostname && !url.searchParams.get('host')) {
    throw new StartupError('DATABASE_URL names no host: expected postgres://user:password@host:5432/database');
  }
  return raw;
}

/** Reads the server's settings from the environment, or throws a StartupError naming the bad one. */
export function loadConfig(env: NodeJS.ProcessEnv, cwd = process.cwd()): Config {
  const port = portSchema.safeParse(env.PORT === undefined || env.PORT === '' ? 8080 : env.PORT);
  if (!port.success) {
    throw new StartupError(`PORT ${port.error.issues[0]?.message ?? 'is invalid'}: got "${env.PORT ?? ''}"`);
  }
  const logLevel = env.LOG_LEVEL ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new StartupError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}: got "${logLevel}"`);
  }
  const trustProxyRaw = env.TRUST_PROXY?.trim() ?? '';
  let trustProxy: boolean | string = false;
  if (trustProxyRaw === 'true') trustProxy = true;
  else if (/^[0-9a-f.:/, ]+$/i.test(trustProxyRaw)) trustProxy = trustProxyRaw;
  else if (trustProxyRaw !== '' && trustProxyRaw !== 'false') {
    throw new StartupError(`TRUST_PROXY must be true, false or the proxies' addresses: got "${env.TRUST_PROXY ?? ''}"`);
  }
  const demoPassword = env.WINGCHECK_DEMO_PASSWORD;
  if (demoPassword !== undefined && demoPassword.length < 10) {
    throw new StartupError('WINGCHECK_DEMO_PASSWORD must be at least 10 characters');
  }
  const dataDir = path.resolve(cwd, env.WINGCHECK_DATA_DIR?.trim() ? env.WINGCHECK_DATA_DIR : './data');
  const databaseUrl = env.DATABASE_URL?.trim();
  return {
    port: port.data,
    host: env.HOST?.trim() ? env.HOST : '0.0.0.0',
    dataDir,
    logLevel,
    trustProxy,
    production: env.NODE_ENV === 'production',
    demoPassword,
    database: databaseUrl
      ? { engine: 'postgres', url: parseDatabaseUrl(databaseUrl) }
      : { engine: 'pglite', dataDir: path.join(dataDir, 'pglite') },
  };
}
