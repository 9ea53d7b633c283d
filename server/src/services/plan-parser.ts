/**
 * Plan files are read off the main thread, in child processes with a capped heap and a time limit.
 * mammoth builds a .docx's whole XML tree and HTML in memory, so a small file that unzips to
 * hundreds of thousands of paragraphs took the server's event loop for most of a minute, or its
 * whole heap. In a reader such a file costs at most the reader: it is stopped, the upload gets a
 * clear 422, and every other request keeps being answered meanwhile. Processes, not worker threads:
 * a worker that reaches its heap limit can abort the whole process, depending on how it allocates
 * (nodejs/node#47224; it took down a test run here on Node 24), and a reader's one job is to never
 * take the server with it.
 *
 * Readers are reused: starting one (tsx, mammoth, the importer) costs about 0.8 s, reading a real
 * plan in a warm one about 15 ms, and admins often upload again after a correction. One stays
 * warm for a minute after its last file; a reader stopped for memory or time is never reused.
 */
import { fork, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PlanParseError, type PlanPreview } from '../../../src/shared/plan-import/schema.ts';
import type { PlanAnswer, PlanJob } from './plan-worker.ts';

export interface PlanParserLimits {
  /** Old-generation heap of each reader, in MB. */
  heapMb: number;
  /** From handing a file to a reader to its answer, a cold reader's start included. */
  timeLimitMs: number;
  /** Readers working at once. */
  maxReaders: number;
  /** Files waiting for a reader; one more is refused with PlanParserBusyError. */
  maxQueued: number;
  /** How long a reader with nothing to do is kept before it is stopped. */
  idleMs: number;
}

/**
 * A synthetic 2,000-concern .docx (far beyond any published plan) peaks near 110 MB of heap and
 * takes about 2.5 s; the 500-concern one 40 MB and 1 s. 256 MB and 20 s leave room for a slow or
 * busy host; a file that needs more is not an action plan anyone can work from. One reader at a
 * time: imports are rare and admin-only, and the other core stays with the requests.
 */
export const PLAN_PARSER_LIMITS: PlanParserLimits = {
  heapMb: 256,
  timeLimitMs: 20_000,
  maxReaders: 1,
  maxQueued: 4,
  idleMs: 60_000,
};

/** A file that needs more memory, time or depth than a reader allows. */
export class PlanTooComplexError extends PlanParseError {
  override name = 'PlanTooComplexError';
}

/** Every reader busy and the queue full: try again shortly. */
export class PlanParserBusyError extends Error {}

const READER_ENTRY = fileURLToPath(new URL('./plan-worker.mjs', import.meta.url));
/** What V8 prints as it aborts for want of heap: how a reader that ran out of memory is told from one that crashed. */
const OUT_OF_HEAP = /heap out of memory|Allocation failed/;
/** The end of a reader's stderr is kept, to read why it stopped. */
const STDERR_KEPT = 4096;

interface Pending {
  bytes: Uint8Array;
  fileName: string;
  resolve: (plan: PlanPreview) => void;
  reject: (error: Error) => void;
}

interface Reader {
  process: ChildProcess;
  /** The last of what it wrote to stderr. */
  stderr: string;
  current: Pending | null;
  /** The current file's time limit, or the idle reader's retirement. */
  timer: NodeJS.Timeout | null;
}

const tooComplex = (fileName: string, why: string) =>
  new PlanTooComplexError(
    `${path.basename(fileName)}: is too complex to read (${why}); save just the action table as a new .docx, or as CSV, and try that`,
  );

export class PlanParser {
  private readonly readers = new Set<Reader>();
  private readonly queue: Pending[] = [];

  constructor(private readonly limits: PlanParserLimits = PLAN_PARSER_LIMITS) {}

  /** parsePlanFile in a bounded reader: PlanParseError (PlanTooComplexError) or PlanParserBusyError. */
  parse(bytes: Uint8Array, fileName: string): Promise<PlanPreview> {
    return new Promise<PlanPreview>((resolve, reject) => {
      const room = this.idleReader() !== undefined || this.readers.size < this.limits.maxReaders;
      if (!room && this.queue.length >= this.limits.maxQueued) {
        reject(new PlanParserBusyError('Other plan files are being read just now; try again in a minute.'));
        return;
      }
      this.queue.push({ bytes, fileName, resolve, reject });
      this.dispatch();
    });
  }

  /** For tests and logs: readers alive, readers working, files waiting. */
  stats(): { readers: number; busy: number; queued: number } {
    const busy = [...this.readers].filter((r) => r.current).length;
    return { readers: this.readers.size, busy, queued: this.queue.length };
  }

  /** Stops every reader; files waiting or being read are refused. */
  async close(): Promise<void> {
    const error = new Error('the plan reader was stopped');
    for (const pending of this.queue.splice(0)) pending.reject(error);
    const stopped = [...this.readers].map((r) => new Promise((resolve) => {
      if (r.process.exitCode !== null || r.process.signalCode !== null) {
        resolve(null);
        return;
      }
      // Held until it has gone: an idle reader's handles no longer keep the process waiting.
      this.hold(r, true);
      r.process.once('exit', resolve);
    }));
    for (const reader of [...this.readers]) this.stop(reader, error);
    await Promise.all(stopped);
  }

  private idleReader(): Reader | undefined {
    return [...this.readers].find((r) => !r.current);
  }

  private dispatch(): void {
    for (let pending = this.queue[0]; pending; pending = this.queue[0]) {
      let reader = this.idleReader();
      if (!reader && this.readers.size < this.limits.maxReaders) {
        try {
          reader = this.start();
        } catch (error) {
          this.queue.shift();
          pending.reject(error instanceof Error ? error : new Error(String(error)));
          continue;
        }
      }
      if (!reader) return;
      this.queue.shift();
      this.run(reader, pending);
    }
  }

  private start(): Reader {
    const child = fork(READER_ENTRY, [], {
      // Nothing inherited (the parent's --inspect, loaders): the heap cap and nothing else.
      execArgv: [`--max-old-space-size=${this.limits.heapMb}`],
      // Files go as bytes (structured clone), not as JSON arrays of numbers.
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    const reader: Reader = { process: child, stderr: '', current: null, timer: null };
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (text: string) => {
      reader.stderr = (reader.stderr + text).slice(-STDERR_KEPT);
    });
    child.on('message', (answer: PlanAnswer) => {
      this.answered(reader, answer);
    });
    child.on('error', (error) => {
      this.stop(reader, new Error(`the plan reader failed: ${error.message}`));
    });
    child.on('exit', () => {
      const name = reader.current?.fileName ?? 'plan';
      this.stop(reader, OUT_OF_HEAP.test(reader.stderr)
        ? tooComplex(name, `it needs more than ${this.limits.heapMb} MB of memory`)
        : new Error('the plan reader stopped unexpectedly'), false);
    });
    this.readers.add(reader);
    return reader;
  }

  /** A reader at work keeps the process alive; an idle one must not (the CLI exits when done). */
  private hold(reader: Reader, held: boolean): void {
    // A piped stderr is a socket, though typed as a plain stream.
    const handles = [reader.process, reader.process.channel, reader.process.stderr as Socket | null];
    for (const handle of handles) {
      if (held) handle?.ref();
      else handle?.unref();
    }
  }

  private run(reader: Reader, pending: Pending): void {
    if (reader.timer) clearTimeout(reader.timer);
    reader.current = pending;
    this.hold(reader, true);
    reader.timer = setTimeout(() => {
      this.stop(reader, tooComplex(pending.fileName, `it takes longer than ${this.limits.timeLimitMs / 1000} s`));
    }, this.limits.timeLimitMs);
    const job: PlanJob = { bytes: pending.bytes, fileName: pending.fileName };
    reader.process.send(job);
  }

  private answered(reader: Reader, answer: PlanAnswer): void {
    const pending = reader.current;
    if (!pending) return;
    if (reader.timer) clearTimeout(reader.timer);
    reader.current = null;
    if (answer.ok) pending.resolve(answer.plan);
    else if (answer.kind === 'unreadable') pending.reject(new PlanParseError(answer.message));
    else if (answer.kind === 'too-complex') pending.reject(tooComplex(pending.fileName, 'it is nested too deeply or is too long'));
    else pending.reject(new Error(`reading ${path.basename(pending.fileName)} failed: ${answer.message}`));
    const next = this.queue.shift();
    if (next) {
      this.run(reader, next);
      return;
    }
    // Idle: it must not keep the process alive, and it retires after a while.
    this.hold(reader, false);
    reader.timer = setTimeout(() => {
      this.stop(reader, null);
    }, this.limits.idleMs);
    reader.timer.unref();
  }

  /** Takes a reader out of use for good; its file, if any, is refused with the error. */
  private stop(reader: Reader, error: Error | null, terminate = true): void {
    if (!this.readers.delete(reader)) return;
    if (reader.timer) clearTimeout(reader.timer);
    const pending = reader.current;
    reader.current = null;
    if (pending) pending.reject(error ?? new Error('the plan reader was stopped'));
    if (terminate) reader.process.kill('SIGKILL');
    this.dispatch();
  }
}

/** The server's and the CLI's reader pool. */
export const planParser = new PlanParser();
