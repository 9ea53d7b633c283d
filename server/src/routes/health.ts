import { handlers } from '../endpoint-handlers.ts';
import { unavailableParts } from '../services/health.ts';

export const healthHandlers = handlers({
  // Public by design: load balancers and the Device page probe it without signing in.
  health: async (_, { deps, reply }) => {
    void reply.header('cache-control', 'no-store');
    const body = { db: deps.db.engine, blobs: deps.blobs.kind, version: deps.version };
    const down = await unavailableParts(deps.db, deps.blobs);
    if (down.length === 0) return { status: 'ok' as const, ...body };
    for (const { part, error } of down) reply.log.error({ err: error }, `health check: the ${part === 'database' ? 'database' : 'photo store'} is not answering`);
    return reply.code(503).send({ status: 'unavailable' as const, ...body });
  },
});
