import { isIP } from 'node:net';
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
  /** Trust X-Forwarded-* from a reverse proxy: true (the nearest one, see app.ts), or the proxies' addresses/CIDRs. */
  trustProxy: boolean | string;
  /** Settings that work but should be changed: one line each, said at start. */
  warnings: string[];
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

/** An address or CIDR as proxy-addr (under Fastify) takes it: 10.0.0.5, 10.0.0.0/8, fd00::/8, 10.0.0.0/255.0.0.0. */
function isProxyAddress(entry: string): boolean {
  const [address = '', mask, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (mask === undefined) return true;
  if (/^\d{1,3}$/.test(mask)) return Number(mask) <= (family === 4 ? 32 : 128);
  return family === 4 && isIP(mask) === 4;
}

/**
 * TRUST_PROXY: `true`, `false` or the proxies' addresses. `true` trusts the nearest hop only
 * (app.ts), whoever connects: safe behind a proxy that nothing can bypass, hence the warning.
 */
export function parseTrustProxy(raw: string | undefined): { trustProxy: boolean | string; warnings: string[] } {
  const value = raw?.trim() ?? '';
  if (value === '' || value === 'false') return { trustProxy: false, warnings: [] };
  if (value === 'true') {
    return {
      trustProxy: true,
      warnings: [
        'TRUST_PROXY=true trusts X-Forwarded-For from whoever connects (one hop): '
        + 'set TRUST_PROXY to your proxies\' addresses (for example 10.0.0.5 or 10.0.0.0/24) instead',
      ],
    };
  }
  const entries = value.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  const bad = entries.find((entry) => !isProxyAddress(entry));
  if (bad !== undefined || entries.length === 0) {
    throw new StartupError(`TRUST_PROXY must be true, false or the proxies' addresses: got "${raw ?? ''}"`);
  }
  return { trustProxy: entries.join(','), warnings: [] };
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
  const { trustProxy, warnings } = parseTrustProxy(env.TRUST_PROXY);
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
    warnings,
    production: env.NODE_ENV === 'production',
    demoPassword,
    database: databaseUrl
      ? { engine: 'postgres', url: parseDatabaseUrl(databaseUrl) }
      : { engine: 'pglite', dataDir: path.join(dataDir, 'pglite') },
  };
}
