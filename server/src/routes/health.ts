import { errorBody } from '../../../src/shared/api/errors.ts';
import { handlers } from '../endpoint-handlers.ts';
import { pingDatabase } from '../services/health.ts';

export const healthHandlers = handlers({
  // Public by design: load balancers and the Device page probe it without signing in.
  health: async (_, { deps, reply }) => {
    void reply.header('cache-control', 'no-store');
    try {
      await pingDatabase(deps.db);
    } catch (error) {
      reply.log.error({ err: error }, 'health check: database unreachable');
      return reply.code(503).send(errorBody('database_unavailable', 'The database is not answering.'));
    }
    return { status: 'ok', db: deps.db.engine, version: deps.version };
  },
});
