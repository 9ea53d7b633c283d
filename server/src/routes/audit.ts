import { handlers } from '../endpoint-handlers.ts';
import { auditCheckpoint } from '../services/audit-log.ts';

export const auditCheckpointHandlers = handlers({
  // The chain's head now, as a file to keep away from the server: verifying against it later
  // shows whether anything up to it was removed or rewritten, even by someone with the database.
  'audit.checkpoint': async (_, { deps, auth, reply }) => {
    const checkpoint = await auditCheckpoint(deps.db, auth().establishmentId, deps.clock.now());
    const day = checkpoint.at.slice(0, 10);
    void reply.header('content-disposition', `attachment; filename="wingcheck-audit-checkpoint-${day}-${checkpoint.seq}.json"`);
    return checkpoint;
  },
});
