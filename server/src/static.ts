import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

// Files whose name stays the same across releases must be revalidated on every load, or a
// browser keeps an old service worker or shell; Vite's hashed assets never change.
const ALWAYS_REVALIDATE = new Set(['index.html', 'sw.js', 'manifest.webmanifest']);

/**
 * Serves the built app from `dir`, if it has been built; returns whether it has.
 */
export async function serveApp(app: FastifyInstance, dir: string): Promise<boolean> {
  if (!existsSync(path.join(dir, 'index.html'))) {
    app.log.warn(`no built app in ${dir}: serving the API only (run npm start, which builds it)`);
    return false;
  }
  await app.register(fastifyStatic, {
    root: dir,
    wildcard: true,
    setHeaders(res, filePath) {
      const name = path.basename(filePath);
      if (ALWAYS_REVALIDATE.has(name)) void res.header('cache-control', 'no-cache');
      else if (filePath.includes(`${path.sep}assets${path.sep}`)) {
        void res.header('cache-control', 'public, max-age=31536000, immutable');
      }
    },
  });
  return true;
}
