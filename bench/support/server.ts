// A real Wingcheck server for a benchmark: its own port and data folder, removed afterwards.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../../tests/support/ports.ts';

/** The demo users' password on benchmark servers. */
export const BENCH_PASSWORD = 'bench demo password';

export interface BenchServer {
  url: string;
  stop: () => void;
  /** Settles once the server process has exited (after stop): its database is then closed. */
  exited: Promise<void>;
}

/** `env` is added to the server's environment last, e.g. DATABASE_URL to run it on PostgreSQL. */
export async function startBenchServer(env: Record<string, string> = {}): Promise<BenchServer> {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'wingcheck-bench-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/index.ts'], {
    env: { ...process.env, PORT: String(port), WINGCHECK_DATA_DIR: dataDir, WINGCHECK_DEMO_PASSWORD: BENCH_PASSWORD, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('Wingcheck is running at')) resolve();
    });
    child.once('exit', (code) => {
      reject(new Error(`server exited with ${String(code)}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    exited,
    stop: () => {
      child.kill();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
