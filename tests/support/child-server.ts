// A helper server in its own process: the benchmarks' servers (Wingcheck's and the comparisons', so
// client and server run on separate cores instead of sharing one event loop) and the tests' S3 server.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { freePort } from './ports.ts';

export interface ChildServer {
  url: string;
  stop: () => void;
  /** Sends the process a signal (SIGSTOP and SIGCONT freeze and thaw it). */
  signal: (signal: NodeJS.Signals) => void;
  /** Settles once the process has exited (after stop): what it kept on disk is then closed. */
  exited: Promise<void>;
}

/** What a child server prints on stdout once it accepts requests. */
export const READY_LINE = 'bench server listening';

/** The port a child server should listen on, from the PORT its parent gave it. */
export function childPort(): number {
  const port = Number(process.env.PORT);
  if (!Number.isInteger(port) || port <= 0) throw new Error('PORT is not set');
  return port;
}

/** Runs `script` (a path from the repository root) under tsx with PORT set, and waits until it prints `readyLine`. */
export async function startChildServer(
  script: string,
  env: Record<string, string> = {},
  readyLine = READY_LINE,
): Promise<ChildServer> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, ...env, PORT: String(port) },
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
      if (out.includes(readyLine)) resolve();
    });
    child.once('exit', (code) => {
      reject(new Error(`${script} exited with ${String(code)}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    exited,
    stop: () => {
      child.kill();
    },
    signal: (signal) => {
      child.kill(signal);
    },
  };
}

/** True when this module is the process's entry point (run as a child server), not imported. */
export function isEntry(moduleUrl: string): boolean {
  const entry = process.argv[1];
  return entry !== undefined && pathToFileURL(path.resolve(entry)).href === moduleUrl;
}
