import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import type { S3Settings } from './blobs-s3.ts';

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
  /** Single sign-on through OpenID Connect: null (off) unless issuer, client id and secret are all set. */
  oidc: OidcConfig | null;
  /** Password sign-in; may be off only when single sign-on is on. */
  localPasswords: boolean;
  /** The address people reach the app at (https://wingcheck.example.gov.uk), if set: the SSO redirect URI's origin. */
  publicUrl: string | null;
  /** Where photos are kept: the data folder's blobs/ (the default), or object storage when WINGCHECK_S3_ENDPOINT is set. */
  blobs: { kind: 'folder'; dir: string } | { kind: 's3'; s3: S3Settings };
  /** Whether this server makes queued evidence packs itself (the default), or leaves them to `npm run worker`. */
  exportWorker: 'in-process' | 'off';
  /** Push services beside the well-known ones that subscriptions may name (PUSH_SERVICE_ORIGINS), as origins. */
  pushServiceOrigins: string[];
}

export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The ID token (or userinfo) claim holding the Wingcheck username: HMPPS Auth uses user_name. */
  usernameClaim: string;
  scopes: string;
  /** What the sign-in button calls the provider: "Sign in with HMPPS Auth". */
  name: string;
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

/** A setting's value, trimmed; unset and blank are the same. */
const setting = (raw: string | undefined): string | undefined => (raw?.trim() ? raw.trim() : undefined);

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The three OIDC settings together or none; a partial set is a mistake worth stopping for. */
export function parseOidc(env: NodeJS.ProcessEnv): OidcConfig | null {
  const required = {
    WINGCHECK_OIDC_ISSUER: env.WINGCHECK_OIDC_ISSUER?.trim() ?? '',
    WINGCHECK_OIDC_CLIENT_ID: env.WINGCHECK_OIDC_CLIENT_ID?.trim() ?? '',
    WINGCHECK_OIDC_CLIENT_SECRET: env.WINGCHECK_OIDC_CLIENT_SECRET ?? '',
  };
  const missing = Object.entries(required).filter(([, value]) => value === '').map(([name]) => name);
  if (missing.length === 3) return null;
  if (missing.length > 0) throw new StartupError(`single sign-on needs all three OIDC settings: set ${missing.join(' and ')}`);
  let issuer: URL;
  try {
    issuer = new URL(required.WINGCHECK_OIDC_ISSUER);
  } catch {
    throw new StartupError(`WINGCHECK_OIDC_ISSUER is not a URL: got "${required.WINGCHECK_OIDC_ISSUER}"`);
  }
  // Plain HTTP only to a provider on this machine (tests, a local proxy): tokens travel on it.
  if (issuer.protocol !== 'https:' && !(issuer.protocol === 'http:' && LOOPBACK_HOSTS.has(issuer.hostname))) {
    throw new StartupError(`WINGCHECK_OIDC_ISSUER must be an https:// URL: got "${required.WINGCHECK_OIDC_ISSUER}"`);
  }
  const claim = setting(env.WINGCHECK_OIDC_USERNAME_CLAIM) ?? 'preferred_username';
  const scopes = (setting(env.WINGCHECK_OIDC_SCOPES) ?? 'openid profile').split(/\s+/);
  if (!scopes.includes('openid')) throw new StartupError('WINGCHECK_OIDC_SCOPES must include openid');
  return {
    issuer: required.WINGCHECK_OIDC_ISSUER,
    clientId: required.WINGCHECK_OIDC_CLIENT_ID,
    clientSecret: required.WINGCHECK_OIDC_CLIENT_SECRET,
    usernameClaim: claim,
    scopes: scopes.join(' '),
    name: setting(env.WINGCHECK_OIDC_NAME) ?? 'single sign-on',
  };
}

/** WINGCHECK_PUBLIC_URL: an origin only (scheme, host, port), so paths can be put after it. */
export function parsePublicUrl(raw: string | undefined): string | null {
  const value = raw?.trim() ?? '';
  if (value === '') return null;
  let url: URL | null = null;
  try {
    url = new URL(value);
  } catch {
    // reported below
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.pathname.replace(/\/$/, '') !== '' || url.search || url.hash) {
    throw new StartupError(`WINGCHECK_PUBLIC_URL must be the app's address without a path, such as https://wingcheck.example.org: got "${value}"`);
  }
  return url.origin;
}

/**
 * PUSH_SERVICE_ORIGINS: origins (scheme, host, port) of push services beside the browsers' own that
 * subscriptions may name, comma-separated: a self-hosted one, or a stand-in on loopback in tests.
 */
export function parsePushServiceOrigins(raw: string | undefined): string[] {
  const entries = (raw ?? '').split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  return entries.map((entry) => {
    let url: URL | null = null;
    try {
      url = new URL(entry);
    } catch {
      // reported below
    }
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.pathname.replace(/\/$/, '') !== '' || url.search || url.hash || url.username) {
      throw new StartupError(`PUSH_SERVICE_ORIGINS must list push services' origins, such as https://push.example.org: got "${entry}"`);
    }
    return url.origin;
  });
}

/** S3 bucket names: 3–63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit. */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Object storage, on when WINGCHECK_S3_ENDPOINT is set: then the bucket and credentials must be too. */
function parseS3(env: NodeJS.ProcessEnv): S3Settings | null {
  const endpoint = setting(env.WINGCHECK_S3_ENDPOINT);
  if (!endpoint) return null;
  let url: URL | null = null;
  try {
    url = new URL(endpoint);
  } catch {
    // reported below
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.search || url.hash || url.username) {
    throw new StartupError(`WINGCHECK_S3_ENDPOINT must be the object store's address, such as http://127.0.0.1:9000: got "${endpoint}"`);
  }
  const bucket = setting(env.WINGCHECK_S3_BUCKET);
  if (!bucket) throw new StartupError('WINGCHECK_S3_ENDPOINT is set, so WINGCHECK_S3_BUCKET must name the bucket for photos');
  if (!BUCKET_NAME.test(bucket)) {
    throw new StartupError(`WINGCHECK_S3_BUCKET must be a bucket name (3–63 lowercase letters, digits, dots and hyphens): got "${bucket}"`);
  }
  const accessKeyId = setting(env.AWS_ACCESS_KEY_ID);
  const secretAccessKey = setting(env.AWS_SECRET_ACCESS_KEY);
  if (!accessKeyId || !secretAccessKey) {
    throw new StartupError('WINGCHECK_S3_ENDPOINT is set, so AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must hold the object store\'s credentials');
  }
  const region = setting(env.WINGCHECK_S3_REGION) ?? 'us-east-1';
  return { endpoint: url.href.replace(/\/$/, ''), bucket, region, accessKeyId, secretAccessKey };
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
  const oidc = parseOidc(env);
  const s3 = parseS3(env);
  const passwords = setting(env.WINGCHECK_LOCAL_PASSWORDS) ?? 'on';
  if (passwords !== 'on' && passwords !== 'off') {
    throw new StartupError(`WINGCHECK_LOCAL_PASSWORDS must be on or off: got "${passwords}"`);
  }
  const exportWorker = setting(env.WINGCHECK_EXPORT_WORKER) ?? 'in-process';
  if (exportWorker !== 'in-process' && exportWorker !== 'off') {
    throw new StartupError(`WINGCHECK_EXPORT_WORKER must be in-process or off: got "${exportWorker}"`);
  }
  if (passwords === 'off' && !oidc) {
    throw new StartupError('WINGCHECK_LOCAL_PASSWORDS=off needs single sign-on: set WINGCHECK_OIDC_ISSUER, _CLIENT_ID and _CLIENT_SECRET');
  }
  return {
    oidc,
    localPasswords: passwords === 'on',
    publicUrl: parsePublicUrl(env.WINGCHECK_PUBLIC_URL),
    exportWorker,
    pushServiceOrigins: parsePushServiceOrigins(env.PUSH_SERVICE_ORIGINS),
    blobs: s3 ? { kind: 's3', s3 } : { kind: 'folder', dir: path.join(dataDir, 'blobs') },
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
