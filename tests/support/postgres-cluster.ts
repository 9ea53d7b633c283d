/**
 * A throwaway PostgreSQL cluster in a temp folder on a free port, for the server-postgres tests
 * and the benchmarks. Stop it to delete it.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findPostgresBinDir } from './postgres-binaries.ts';
import { freePort } from './ports.ts';

export interface PostgresCluster {
  /** The 'postgres' database as the superuser, e.g. postgres://postgres@127.0.0.1:5433/postgres. */
  adminUrl: string;
  stop: () => void;
}

export interface ClusterOptions {
  /**
   * Keep fsync and synchronous commit on, as a production server would (benchmarks of ingest).
   * Off by default: a thrown-away cluster gains nothing from durability and it costs seconds.
   */
  durable?: boolean;
}

/** initdb refuses to run as root: run the cluster as the 'postgres' system user instead. */
function clusterUser(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

export async function startPostgresCluster(options: ClusterOptions = {}): Promise<PostgresCluster> {
  const bin = findPostgresBinDir();
  if (!bin) {
    throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql: apt-get install -y postgresql');
  }
  const user = clusterUser();
  const root = mkdtempSync(path.join(tmpdir(), 'wingcheck-pg-'));
  const dataDir = path.join(root, 'data');
  const port = await freePort();
  if (user) {
    chownSync(root, user.uid, user.gid);
    chmodSync(root, 0o700);
  }
  const run = (cmd: string, args: string[]) => {
    const [file, fullArgs] = user ? ['setpriv', ['--reuid', String(user.uid), '--regid', String(user.gid), '--clear-groups', path.join(bin, cmd), ...args]] : [path.join(bin, cmd), args];
    execFileSync(file, fullArgs, { stdio: 'pipe', cwd: root });
  };
  run('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-sync']);
  writeFileSync(path.join(root, 'log'), '');
  if (user) chownSync(path.join(root, 'log'), user.uid, user.gid);
  const durability = options.durable ? '' : ' -c fsync=off -c synchronous_commit=off -c full_page_writes=off';
  run('pg_ctl', [
    '-D', dataDir, '-l', path.join(root, 'log'), '-w', '-t', '60',
    '-o', `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c max_connections=200${durability}`,
    'start',
  ]);
  return {
    adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: () => {
      try {
        run('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  };
}
