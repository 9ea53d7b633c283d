// A real S3-compatible server on loopback for the blob-store contract and multi-server tests:
// s3rver (an npm dev dependency: nothing to download, no container), in a child process with its
// own temporary folder, stopped and removed afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startChildServer } from './child-server.ts';

/** What s3rver-main.mjs prints once it listens. */
const S3RVER_READY = 's3rver listening';

/** s3rver's fixed credentials: it accepts requests signed with these. */
export const S3_TEST_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export interface TestS3 {
  endpoint: string;
  stop: () => Promise<void>;
  /** Freezes the store: requests to it wait, unanswered, until `thaw`. */
  freeze: () => void;
  thaw: () => void;
}

export async function startS3Server(): Promise<TestS3> {
  const directory = mkdtempSync(path.join(tmpdir(), 'wingcheck-s3-'));
  const script = fileURLToPath(new URL('./s3rver-main.mjs', import.meta.url));
  const server = await startChildServer(script, { S3RVER_DIR: directory }, S3RVER_READY);
  return {
    endpoint: server.url,
    freeze: () => {
      server.signal('SIGSTOP');
    },
    thaw: () => {
      server.signal('SIGCONT');
    },
    stop: async () => {
      // A frozen process keeps its stop signal pending until thawed.
      server.signal('SIGCONT');
      server.stop();
      await server.exited;
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
