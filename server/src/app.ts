import cookie from '@fastify/cookie';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { installGuard } from './auth/guard.ts';
import { OidcClient } from './auth/oidc.ts';
import type { BlobStore } from './blobs.ts';
import { ObjectStoreError } from './blobs-s3.ts';
import type { Clock } from './clock.ts';
import type { OidcConfig } from './config.ts';
import type { Db } from './db/client.ts';
import { HttpError } from './http-errors.ts';
import { errorBody } from '../../src/shared/api/errors.ts';
import { endpointRoutes } from './routes/index.ts';
import { withSafeSerializers } from './safe-logging.ts';
import { pushSettings, type PushSettings } from './services/push.ts';
import { installSecurityHeaders } from './security.ts';
import { serveApp } from './static.ts';
import { frameworkErrors, useZodValidation } from './validation.ts';
import { APP_VERSION } from './version.ts';

export interface AppDeps {
  db: Db;
  blobs: BlobStore;
  clock: Clock;
  version: string;
  signIn: SignInSettings;
  /** The in-process evidence pack worker, woken when a pack is asked for; absent when packs are made elsewhere. */
  exportWorker?: { wake(): void };
  /** Where subscriptions may point and who signs the pushes. */
  push: PushSettings;
}

/** How people sign in: passwords here, single sign-on through a provider, or both. */
export interface SignInSettings {
  localPasswords: boolean;
  oidc: OidcClient | null;
  /** The app's own address, when set (WINGCHECK_PUBLIC_URL); otherwise each request's. */
  publicUrl: string | null;
}

export interface AppOptions {
  db: Db;
  blobs: BlobStore;
  clock: Clock;
  /** The built app (Vite's dist/); omitted in API-only tests. */
  staticDir?: string;
  version?: string;
  logger?: FastifyServerOptions['logger'];
  /**
   * Behind a reverse proxy: trust its X-Forwarded-* headers (client address, https). `true` trusts
   * the nearest hop only (trustNearestProxy); addresses/CIDRs trust those proxies.
   */
  trustProxy?: FastifyServerOptions['trustProxy'];
  /** Single sign-on (off when omitted), and whether passwords still work (default: yes). */
  oidc?: OidcConfig | null;
  localPasswords?: boolean;
  publicUrl?: string | null;
  /** The in-process evidence pack worker, if this server runs one. */
  exportWorker?: { wake(): void };
  /** Push services beside the well-known ones that subscriptions may name (PUSH_SERVICE_ORIGINS). */
  pushServiceOrigins?: readonly string[];
}

/**
 * `true` as Fastify takes it trusts every X-Forwarded-For entry, so the client's address is the
 * first, which the client writes itself: one rotating it was never rate limited at sign-in. This
 * trusts one hop, the peer that connected (the proxy): the address is the last entry, the one the
 * proxy saw. (A hop count, `trustProxy: 1`, would say the same, but Fastify now refuses hop counts
 * outright and trusts nothing: no client address, and no https, behind the proxy.)
 */
const trustNearestProxy = (_address: string, hop: number): boolean => hop === 0;

// Fastify's own request errors, reworded for people.
const FASTIFY_ERRORS: Record<string, { code: string; message: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'payload_too_large', message: 'The request is too large.' },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'invalid_json', message: 'The request body is not valid JSON.' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'invalid_json', message: 'The request body is empty; JSON was expected.' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'unsupported_media_type', message: 'Send the request body as JSON.' },
};

/** The whole HTTP application, without listening: index.ts listens, tests use inject(). */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    // Errors and requests are logged without values (bodies, SQL parameters): safe-logging.ts.
    logger: withSafeSerializers(options.logger),
    // Sized for JSON; photo uploads get their own limit on their route.
    bodyLimit: 1024 * 1024,
    trustProxy: options.trustProxy === true ? trustNearestProxy : (options.trustProxy ?? false),
    // A malformed address is refused before routing; this gives that refusal the app's error shape.
    frameworkErrors,
  });
  const deps: AppDeps = {
    db: options.db,
    blobs: options.blobs,
    clock: options.clock,
    version: options.version ?? APP_VERSION,
    signIn: {
      localPasswords: options.localPasswords ?? true,
      oidc: options.oidc ? new OidcClient(options.oidc) : null,
      publicUrl: options.publicUrl ?? null,
    },
    ...(options.exportWorker ? { exportWorker: options.exportWorker } : {}),
    push: pushSettings(options.pushServiceOrigins ?? [], options.publicUrl ?? null),
  };

  app.setErrorHandler<Partial<FastifyError> & Error>((error, request, reply) => {
    if (error instanceof HttpError) {
      return reply.code(error.statusCode).headers(error.headers).send(error.body);
    }
    if (error instanceof ObjectStoreError) {
      // Not the request's fault: a device keeps its photos and sends them again (503 counts against no change).
      request.log.error({ err: error, route: request.routeOptions.url }, 'the object store failed a request');
      return reply.code(503).header('retry-after', '30').send(errorBody('photo_store_unavailable', 'The photo store is not answering: try again shortly.'));
    }
    // Fastify's own errors carry a code and status; anything else thrown is a bug: 500.
    const status = typeof error.statusCode === 'number' && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500) {
      // The error by its safe parts only (safe-logging.ts); the request id comes with request.log.
      request.log.error({ err: error, route: request.routeOptions.url, statusCode: status }, 'request failed');
      // Never send internals (SQL, stack traces) to the client.
      return reply.code(status).send(errorBody('server_error', 'Something went wrong on the server.'));
    }
    const known = FASTIFY_ERRORS[error.code ?? ''];
    return reply.code(status).send(errorBody(known?.code ?? 'bad_request', known?.message ?? error.message));
  });

  await app.register(cookie);
  await installSecurityHeaders(app);
  useZodValidation(app);
  installGuard(app, deps);

  endpointRoutes(app, deps);

  const hasApp = options.staticDir ? await serveApp(app, options.staticDir) : false;

  app.setNotFoundHandler((request, reply) => {
    const url = request.url;
    const wantsPage = request.method === 'GET' && (request.headers.accept ?? '').includes('text/html');
    if (!url.startsWith('/api/') && url !== '/api' && wantsPage && hasApp) {
      // A deep link (/actions/123) loaded straight from the address bar: the app routes it.
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    }
    return reply.code(404).send(errorBody('not_found', `No such resource: ${request.method} ${url}`));
  });

  return app;
}
