/**
 * The body of a plan reader's worker thread (started through plan-worker.mjs by plan-parser.ts):
 * reads one file per message with parsePlanFile and answers what it made of it. The thread's heap
 * is capped by its parent, so a file that needs too much memory ends this thread, not the server.
 */
import { parentPort } from 'node:worker_threads';
import { PlanParseError, type PlanPreview } from '../../../src/shared/plan-import/schema.ts';
import { isEngineLimit, parsePlanFile } from './plan-files.ts';

export interface PlanJob {
  bytes: Uint8Array;
  fileName: string;
}

export type PlanAnswer
  = | { ok: true; plan: PlanPreview }
    | { ok: false; kind: 'unreadable' | 'too-complex' | 'failed'; message: string };

const port = parentPort;
if (!port) throw new Error('plan-worker.ts runs as a worker thread (see plan-parser.ts)');

async function read(job: PlanJob): Promise<PlanAnswer> {
  try {
    return { ok: true, plan: await parsePlanFile(job.bytes, job.fileName) };
  } catch (error) {
    if (error instanceof PlanParseError) return { ok: false, kind: 'unreadable', message: error.message };
    if (isEngineLimit(error)) return { ok: false, kind: 'too-complex', message: error.message };
    return { ok: false, kind: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
}

port.on('message', (job: PlanJob) => {
  void read(job).then((answer) => {
    port.postMessage(answer);
  });
});
