/**
 * Vitest global setup for the server-postgres suite: a throwaway PostgreSQL cluster, stopped and
 * deleted afterwards. Each test file then creates its own database in it (see test-db.ts).
 */
import type { TestProject } from 'vitest/node';
import { startPostgresCluster } from '../../support/postgres-cluster.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresAdminUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const cluster = await startPostgresCluster();
  project.provide('postgresAdminUrl', cluster.adminUrl);
  return cluster.stop;
}
