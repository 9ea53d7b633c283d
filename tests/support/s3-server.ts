// A real S3-compatible server on loopback for the blob-store contract and multi-server tests:
// s3rver (an npm dev dependency: nothing to download, no container), in a child process with its
// own temporary folder, stopped and removed afterwards.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './ports.ts';

/** s3rver's fixed credentials: it accepts requests signed with these. */
export const S3_TEST_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export interface TestS3 {
  endpoint: string;
  stop: () => Promise<void>;
}

export async function startS3Server(): Promise<TestS3> {
  const port = await freePort();
  const directory = mkdtempSync(path.join(tmpdir(), 'wingcheck-s3-'));
  const script = fileURLToPath(new URL('./s3rver-main.mjs', import.meta.url));
  const child = spawn(process.execPath, [script, String(port), directory], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('s3rver listening')) resolve();
    });
    child.once('exit', (code) => {
      reject(new Error(`s3rver exited with ${String(code)} before listening`));
    });
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
