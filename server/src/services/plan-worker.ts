/**
 * The body of a plan reader, a child process (started through plan-worker.mjs by plan-parser.ts):
 * reads one file per message with parsePlanFile and answers what it made of it. Its heap is capped
 * by its parent, so a file that needs too much memory ends this process, not the server.
 */
import { PlanParseError, type PlanPreview } from '../../../src/shared/plan-import/schema.ts';
import { isEngineLimit, parsePlanFile } from './plan-files.ts';

export interface PlanJob {
  bytes: Uint8Array;
  fileName: string;
}

export type PlanAnswer
  = | { ok: true; plan: PlanPreview }
    | { ok: false; kind: 'unreadable' | 'too-complex' | 'failed'; message: string };

const send = process.send?.bind(process);
if (!send) throw new Error('plan-worker.ts runs as a child process with an IPC channel (see plan-parser.ts)');
// The server has gone: nothing is left to answer.
process.on('disconnect', () => process.exit(0));

async function read(job: PlanJob): Promise<PlanAnswer> {
  try {
    return { ok: true, plan: await parsePlanFile(job.bytes, job.fileName) };
  } catch (error) {
    if (error instanceof PlanParseError) return { ok: false, kind: 'unreadable', message: error.message };
    if (isEngineLimit(error)) return { ok: false, kind: 'too-complex', message: error.message };
    return { ok: false, kind: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
}

process.on('message', (job: PlanJob) => {
  void read(job).then((answer) => {
    send(answer);
  });
});
