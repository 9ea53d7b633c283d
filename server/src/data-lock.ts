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
import { chmod, mkdir, readdir, rm } from 'node:fs/promises';
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
  /**
   * Answers requests from commands run beside the server (wingcheck backup): the holder has the
   * database, so work that needs it while the server runs is done here. Until this is called a
   * request is told the server is not ready.
   */
  serve(handler: RequestHandler): void;
}

/**
 * One request from a command on the same machine, and a way to tell it how the work goes.
 * Resolves with the result; throws a RequestError whose message the command prints as it is.
 */
export type RequestHandler = (request: unknown, progress: (message: string) => void) => Promise<unknown>;

/** A refusal meant for the person who ran the command: sent back as its message alone. */
export class RequestError extends Error {
  override name = 'RequestError';
}

/** What a request's socket sends back, one JSON line each. */
type Reply = { progress: string } | { result: unknown } | { error: string };

/** A request must arrive soon after connecting; a probe (lockDataDir) sends none and hangs up. */
const REQUEST_TIMEOUT_MS = 5000;
const MAX_REQUEST_BYTES = 16 * 1024;

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
  // Only this account may knock: a request here acts with the server's rights on the database.
  await chmod(dir, 0o700).catch(() => undefined);
  const me: Holder = { pid: process.pid, startedAt: new Date().toISOString(), state: 'starting' };
  const serving: Serving = { handler: null };

  for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
    const server = await listenOn(own, me, dataDir, serving);
    const peers = (await readdir(dir)).filter((name) => SOCKET_NAME.test(name) && name !== path.basename(own));
    const probes = await Promise.all(peers.map(async (name) => ({ name, probe: await probe(path.join(dir, name)) })));
    const live = probes.flatMap(({ probe: p }) => (p.live ? [p] : []));
    if (live.length === 0) {
      me.state = 'holding';
      // A socket that refused a connection belongs to a process that has gone: tidy it away. Even
      // if one were a racing server between bind and listen, it will find this one live and step back.
      const dead = probes.filter(({ probe: p }) => !p.live && p.refused);
      await Promise.all(dead.map(({ name }) => rm(path.join(dir, name), { force: true })));
      return holdUntilReleased(server, own, serving);
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

function holdUntilReleased(server: net.Server, own: string, serving: Serving): DataDirLock {
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
      serving.handler = null;
      released ??= close(server, own).finally(() => process.removeListener('exit', onExit));
      return released;
    },
    serve(handler) {
      serving.handler = handler;
    },
  };
}

interface Serving { handler: RequestHandler | null }

async function listenOn(socketPath: string, me: Holder, dataDir: string, serving: Serving): Promise<net.Server> {
  const server = net.createServer((socket) => {
    socket.on('error', () => undefined);
    socket.write(`${JSON.stringify(me)}\n`);
    answerRequest(socket, serving);
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

/** Reads one request line and answers it with the handler, or hangs up when none comes. */
function answerRequest(socket: net.Socket, serving: Serving): void {
  const send = (reply: Reply): void => {
    if (!socket.destroyed) socket.write(`${JSON.stringify(reply)}\n`);
  };
  let received = '';
  socket.setEncoding('utf8');
  socket.setTimeout(REQUEST_TIMEOUT_MS, () => socket.destroy());
  const onData = (chunk: string): void => {
    received += chunk;
    const end = received.indexOf('\n');
    if (end < 0 && received.length <= MAX_REQUEST_BYTES) return;
    socket.off('data', onData);
    socket.setTimeout(0);
    let request: unknown;
    try {
      request = JSON.parse(end < 0 ? '' : received.slice(0, end));
    } catch {
      send({ error: 'the request was not one line of JSON' });
      socket.end();
      return;
    }
    const handler = serving.handler;
    if (!handler) {
      send({ error: 'the server is still starting: try again in a moment' });
      socket.end();
      return;
    }
    const progress = (message: string): void => {
      send({ progress: message });
    };
    handler(request, progress)
      .then((result) => {
        send({ result });
      })
      .catch((error: unknown) => {
        send({ error: error instanceof RequestError ? error.message : `the server could not do it: ${(error as Error).message}` });
      })
      .finally(() => socket.end());
  };
  socket.on('data', onData);
  socket.on('end', () => socket.end());
}

/**
 * Sends a request to the server holding the folder, if one does, and returns its result (progress
 * goes to `onProgress`); 'no-server' when none is running. A refusal throws a RequestError.
 */
export async function askHolder(dataDir: string, request: unknown, onProgress: (message: string) => void): Promise<unknown> {
  const dir = path.join(dataDir, LOCK_FOLDER);
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => SOCKET_NAME.test(name));
  } catch {
    return 'no-server';
  }
  for (const name of names) {
    const reply = await converse(path.join(dir, name), request, onProgress);
    if (reply !== 'no-server') return reply;
  }
  return 'no-server';
}

function converse(socketPath: string, request: unknown, onProgress: (message: string) => void): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const socket = withShortPath(socketPath, (p) => net.connect({ path: p }));
    let connected = false;
    let buffered = '';
    let greeted = false;
    let settled = false;
    /** Ends the conversation once: with the server's result, or a RequestError saying why not. */
    const settle = (outcome: { result: unknown } | { refusal: string }): void => {
      if (settled) return;
      settled = true;
      socket.destroy();
      if ('result' in outcome) resolve(outcome.result);
      else reject(new RequestError(outcome.refusal));
    };
    socket.setEncoding('utf8');
    socket.on('connect', () => {
      connected = true;
      socket.write(`${JSON.stringify(request)}\n`);
    });
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      let end: number;
      while ((end = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, end);
        buffered = buffered.slice(end + 1);
        if (!greeted) {
          greeted = true; // the holder's name, as every probe gets
          continue;
        }
        let reply: Partial<Record<'progress' | 'error', unknown> & { result: unknown }>;
        try {
          reply = JSON.parse(line) as typeof reply;
        } catch {
          settle({ refusal: 'the server answered something that is not JSON' });
          return;
        }
        if (typeof reply.progress === 'string') onProgress(reply.progress);
        else if (typeof reply.error === 'string') settle({ refusal: reply.error });
        else if ('result' in reply) settle({ result: reply.result });
      }
    });
    socket.on('end', () => {
      settle({ refusal: 'the server stopped before it finished: see its log' });
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // Refused or gone: a socket left by a server that has stopped.
      if (!connected && (error.code === 'ECONNREFUSED' || error.code === 'ENOENT')) settle({ result: 'no-server' });
      else settle({ refusal: `the server could not be asked (${error.code ?? error.message})` });
    });
  });
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
