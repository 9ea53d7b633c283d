// A real Wingcheck server for a benchmark: its own process, port and data folder, removed afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startChildServer, type ChildServer } from '../../tests/support/child-server.ts';

/** The demo users' password on benchmark servers. */
export const BENCH_PASSWORD = 'bench demo password';

/** A benchmark's server process: `exited` settles once it has closed its database. */
export type BenchServer = ChildServer;

/** `env` is added to the server's environment last, e.g. DATABASE_URL to run it on PostgreSQL. */
export async function startBenchServer(env: Record<string, string> = {}): Promise<BenchServer> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'wingcheck-bench-'));
  const server = await startChildServer(
    'server/src/index.ts',
    { WINGCHECK_DATA_DIR: dataDir, WINGCHECK_DEMO_PASSWORD: BENCH_PASSWORD, LOG_LEVEL: 'warn', ...env },
    'Wingcheck is running at',
  );
  return {
    ...server,
    stop: () => {
      server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
