import { z } from 'zod';

/**
 * `GET /api/health`: whether the server can serve (`ok`, 200) or not (`unavailable`, 503: the
 * database or the photo store does not answer), which database engine and photo store it uses,
 * and its version. Load balancers route by the status code; people read the rest.
 */
export const HealthResponse = z.object({
  status: z.enum(['ok', 'unavailable']),
  db: z.enum(['pglite', 'postgres']),
  blobs: z.enum(['folder', 's3']),
  version: z.string().min(1),
});
export type HealthResponse = z.infer<typeof HealthResponse>;
