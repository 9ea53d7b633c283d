/**
 * One server per embedded data folder. PGlite keeps its database in this process's memory and
 * writes it back to the folder, so a second server on the same folder would serve, confirm
 * evidence, and have its writes overwritten by whichever process stops last.
 *
 * The mechanism: each server binds a Unix domain socket of its own (a random name) in
 * `<data folder>/server-lock/`, then looks at every other socket there. A socket whose process is
 * alive accepts the connection (the kernel queues it even while the holder's event loop is busy)
 * and tells who holds it; one left by a process that died (kill -9, power cut, reboot) refuses
 * it, and is ignored and tidied away. So liveness is the kernel's answer, not a PID (which is
 * reused after a reboot and means nothing across containers sharing a volume) nor an mtime kept
 * fresh by a timer (which a stalled event loop lets go stale, as with proper-lockfile, and which
 * makes a restart after a crash wait out the stale period). Node has no flock(2), and the native
 * modules that add it would need a compiler and Node's headers at install.
 *
 * No one ever removes another live server's socket, so there is no stale-lock takeover to race:
 * a server holds the folder only when, with its own socket already listening, it finds no other
 * live one. Of two racing servers the one that looks later sees the other; both seeing each other
 * while still starting both step back and retry after a random pause, so at most one wins.
 */
import { randomBytes } from 'node:crypto';
import { unlinkSync } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { StartupError } from './config.ts';

export const LOCK_FOLDER = 'server-lock';
const SOCKET_NAME = /^[0-9a-f]{16}\.sock$/;
/**
 * How long a live peer gets to say who it is; it counts as the holder either way. Generous: a
 * holder that has just taken the lock may be busy compiling the embedded database for a second
 * or more on a loaded machine, and its answer is what the refusal tells the person.
 */
const ANSWER_TIMEOUT_MS = 5000;
const ATTEMPTS = 12;
/** sun_path is 108 bytes on Linux (104 on macOS), including the final NUL. */
const MAX_SOCKET_PATH = 100;

export interface DataDirLock {
  /** Lets the folder go; call after the database is closed. */
  release(): Promise<void>;
}

interface Holder {
  pid: number;
  startedAt: string;
  state: 'starting' | 'holding';
}

type Probe
  = | { live: false; refused: boolean }
    | { live: true; holder: Holder | null; reason?: string };

/**
 * Takes the data folder for this process, or throws a StartupError (one line) naming the server
 * that has it. Only for the embedded engine: on PostgreSQL several servers may share the folder's
 * blobs (content-addressed, written by atomic rename) and PostgreSQL arbitrates the rest.
 */
export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  const dir = path.join(dataDir, LOCK_FOLDER);
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw new StartupError(`Cannot lock the data folder ${dataDir} (${(error as Error).message}): set WINGCHECK_DATA_DIR to a writable folder`);
  }
  const own = path.join(dir, `${randomBytes(8).toString('hex')}.sock`);
  const me: Holder = { pid: process.pid, startedAt: new Date().toISOString(), state: 'starting' };

  for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
    const server = await listenOn(own, me, dataDir);
    const peers = (await readdir(dir)).filter((name) => SOCKET_NAME.test(name) && name !== path.basename(own));
    const probes = await Promise.all(peers.map(async (name) => ({ name, probe: await probe(path.join(dir, name)) })));
    const live = probes.flatMap(({ probe: p }) => (p.live ? [p] : []));
    if (live.length === 0) {
      me.state = 'holding';
      // A socket that refused a connection belongs to a process that has gone: tidy it away. Even
      // if one were a racing server between bind and listen, it will find this one live and step back.
      const dead = probes.filter(({ probe: p }) => !p.live && p.refused);
      await Promise.all(dead.map(({ name }) => rm(path.join(dir, name), { force: true })));
      return holdUntilReleased(server, own);
    }
    await close(server, own);
    const holding = live.find((p) => p.holder?.state !== 'starting');
    if (holding) throw new StartupError(describeHolder(dataDir, holding.holder, holding.reason));
    // Only other servers still starting: step back and let one of us win.
    await sleep(25 + Math.random() * 100 * attempt);
  }
  throw new StartupError(`Another Wingcheck server is starting on the data folder ${dataDir} at the same time: start only one`);
}

function describeHolder(dataDir: string, holder: Holder | null, reason?: string): string {
  const which = holder ? ` (process ${holder.pid}, running since ${holder.startedAt})` : reason ? ` (${reason})` : '';
  return `Another Wingcheck server${which} is using the data folder ${dataDir}: stop it first, or set WINGCHECK_DATA_DIR to another folder (several servers need DATABASE_URL)`;
}

function holdUntilReleased(server: net.Server, own: string): DataDirLock {
  // However the process ends short of a kill -9 (an error after this point, process.exit), its
  // socket goes with it; after a kill -9 the next server tidies it away.
  const onExit = (): void => {
    try {
      unlinkSync(own);
    } catch {
      // already gone
    }
  };
  process.once('exit', onExit);
  let released: Promise<void> | null = null;
  return {
    release() {
      released ??= close(server, own).finally(() => process.removeListener('exit', onExit));
      return released;
    },
  };
}

async function listenOn(socketPath: string, me: Holder, dataDir: string): Promise<net.Server> {
  const server = net.createServer((socket) => {
    socket.on('error', () => undefined);
    socket.end(`${JSON.stringify(me)}\n`);
  });
  // The lock alone never keeps the process running.
  server.unref();
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      withShortPath(socketPath, (p) => server.listen(p, resolve));
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    throw new StartupError(`Cannot lock the data folder ${dataDir} (${code || (error as Error).message}): it must be on a local file system`);
  }
  server.on('error', () => undefined);
  return server;
}

async function close(server: net.Server, socketPath: string): Promise<void> {
  await new Promise<void>((resolve) => {
    server.close(() => {
      resolve();
    });
  });
  // Node unlinks the socket on close, but not when it was bound by a relative path (withShortPath).
  await rm(socketPath, { force: true });
}

/** Whether a server answers on the socket, and who it says it is. */
function probe(socketPath: string): Promise<Probe> {
  return new Promise((resolve) => {
    let answer = '';
    let connected = false;
    const socket = withShortPath(socketPath, (p) => net.connect({ path: p }));
    const finish = (result: Probe): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => {
      finish({ live: true, holder: null, reason: 'it did not say which process it is' });
    }, ANSWER_TIMEOUT_MS);
    socket.setEncoding('utf8');
    socket.on('connect', () => {
      connected = true;
    });
    socket.on('data', (chunk: string) => {
      answer += chunk;
      if (answer.includes('\n') || answer.length > 1000) finish({ live: true, holder: parseHolder(answer) });
    });
    socket.on('end', () => {
      finish({ live: true, holder: parseHolder(answer) });
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (connected) finish({ live: true, holder: parseHolder(answer) });
      // Refused: nobody listens, its process died. Gone or reset before connecting: it was
      // released meanwhile (a racing server stepping back closes its socket as this one knocks).
      else if (error.code === 'ECONNREFUSED') finish({ live: false, refused: true });
      else if (error.code === 'ENOENT' || error.code === 'ECONNRESET') finish({ live: false, refused: false });
      // Anything else (not allowed to connect, a full queue): assume it is live rather than risk two writers.
      else finish({ live: true, holder: null, reason: `its lock ${socketPath} could not be checked: ${error.code ?? error.message}` });
    });
  });
}

function parseHolder(answer: string): Holder | null {
  try {
    const value = JSON.parse(answer.split('\n')[0] ?? '') as Partial<Holder>;
    if (typeof value.pid === 'number' && typeof value.startedAt === 'string' && (value.state === 'starting' || value.state === 'holding')) {
      return { pid: value.pid, startedAt: value.startedAt, state: value.state };
    }
  } catch {
    // not one of ours: treated as a holder that did not say who it is
  }
  return null;
}

/**
 * A socket's path must fit in sun_path; a deep data folder's does not. Then bind or connect by a
 * name relative to the folder: both resolve the path synchronously, so the working directory is
 * back before anything else runs.
 */
function withShortPath<T>(socketPath: string, use: (p: string) => T): T {
  if (Buffer.byteLength(socketPath) <= MAX_SOCKET_PATH) return use(socketPath);
  const previous = process.cwd();
  process.chdir(path.dirname(socketPath));
  try {
    return use(`./${path.basename(socketPath)}`);
  } finally {
    process.chdir(previous);
  }
}
