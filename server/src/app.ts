import Fastify, { type FastifyError, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { BlobStore } from './blobs.ts';
import type { Clock } from './clock.ts';
import type { Db } from './db/client.ts';
import { healthRoutes } from './routes/health.ts';
import { serveApp } from './static.ts';
import { APP_VERSION } from './version.ts';

export interface AppDeps {
  db: Db;
  blobs: BlobStore;
  clock: Clock;
  version: string;
}

export interface AppOptions {
  db: Db;
  blobs: BlobStore;
  clock: Clock;
  /** The built app (Vite's dist/); omitted in API-only tests. */
  staticDir?: string;
  version?: string;
  logger?: FastifyServerOptions['logger'];
}

/** The whole HTTP application, without listening: index.ts listens, tests use inject(). */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    // Sized for JSON; photo uploads get their own limit on their route.
    bodyLimit: 1024 * 1024,
  });
  const deps: AppDeps = {
    db: options.db,
    blobs: options.blobs,
    clock: options.clock,
    version: options.version ?? APP_VERSION,
  };

  // Fastify's own errors carry a code and status; a plain Error thrown by our code has neither.
  app.setErrorHandler<Partial<FastifyError> & Error>((error, request, reply) => {
    const status = typeof error.statusCode === 'number' && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    // Never send internals (SQL, stack traces) to the client on a 5xx.
    const message = status >= 500 ? 'Something went wrong on the server.' : error.message;
    return reply.code(status).send({ error: error.code ?? 'error', message });
  });

  healthRoutes(app, deps);

  const hasApp = options.staticDir ? await serveApp(app, options.staticDir) : false;

  app.setNotFoundHandler((request, reply) => {
    const url = request.url;
    const wantsPage = request.method === 'GET' && (request.headers.accept ?? '').includes('text/html');
    if (!url.startsWith('/api/') && url !== '/api' && wantsPage && hasApp) {
      // A deep link (/actions/123) loaded straight from the address bar: the app routes it.
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    }
    return reply.code(404).send({ error: 'not_found', message: `No such resource: ${request.method} ${url}` });
  });

  return app;
}
