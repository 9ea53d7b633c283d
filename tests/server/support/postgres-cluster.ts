/**
 * Vitest global setup for the server-postgres suite: a throwaway PostgreSQL cluster in a temp
 * folder on a free port, stopped and deleted afterwards. Each test file then creates its own
 * database in it (see test-db.ts).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { findPostgresBinDir } from '../../support/postgres-binaries.ts';
import { freePort } from '../../support/ports.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresAdminUrl: string;
  }
}

/** initdb refuses to run as root: run the cluster as the 'postgres' system user instead. */
function clusterUser(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

export default async function setup(project: TestProject): Promise<() => void> {
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
  // fsync off: this cluster is thrown away, and durability costs seconds per test run.
  run('pg_ctl', [
    '-D', dataDir, '-l', path.join(root, 'log'), '-w', '-t', '60',
    '-o', `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`,
    'start',
  ]);
  project.provide('postgresAdminUrl', `postgres://postgres@127.0.0.1:${port}/postgres`);
  return () => {
    try {
      run('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  };
}
