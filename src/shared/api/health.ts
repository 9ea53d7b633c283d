import { z } from 'zod';

/** `GET /api/health`: the server is up, which database engine it uses, and its version. */
export const HealthResponse = z.object({
  status: z.literal('ok'),
  db: z.enum(['pglite', 'postgres']),
  version: z.string().min(1),
});
export type HealthResponse = z.infer<typeof HealthResponse>;
