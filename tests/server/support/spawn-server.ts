import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { SessionInfo } from '../../../src/shared/auth.ts';
import { PASSWORD } from './world.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface ServerRun {
  /** Resolves when the server says it is running, or when it exits, whichever is first. */
  ready: Promise<{ running: boolean; code: number | null }>;
  stdout(): string;
  stderr(): string;
  /** The server process's id. */
  pid: number | undefined;
  /** Resolves with its exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** Sends the signal (SIGTERM: a normal stop) unless it has exited, and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts `server/src/index.ts` as npm start does, in its own process, with only the environment
 * given (plus PATH and HOME), and `asUser` to run it as another user (root-only).
 */
export function spawnServer(env: Record<string, string>, options: { asUser?: { uid: number; gid: number } } = {}): ServerRun {
  const nodeArgs = ['--import', 'tsx', 'server/src/index.ts'];
  const [command, args] = options.asUser
    ? ['setpriv', ['--reuid', String(options.asUser.uid), '--regid', String(options.asUser.gid), '--clear-groups', process.execPath, ...nodeArgs]]
    : [process.execPath, nodeArgs];
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const ready = new Promise<{ running: boolean; code: number | null }>((resolve) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('Wingcheck is running at')) resolve({ running: true, code: null });
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    void exited.then((code) => {
      resolve({ running: false, code });
    });
  });
  return {
    ready,
    stdout: () => out,
    stderr: () => err,
    pid: child.pid,
    exited,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** A person signed in to a running server over HTTP: its address, their session cookie and CSRF token. */
export interface HttpClient {
  base: string;
  cookie: string;
  csrf: string;
}

/** Signs `username` in to the server at `base` (a spawned one), expecting it to succeed. */
export async function signInOverHttp(base: string, username: string, password = PASSWORD): Promise<HttpClient> {
  const res = await fetch(`${base}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  expect(res.status).toBe(200);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return { base, cookie, csrf: SessionInfo.parse(await res.json()).csrfToken };
}
