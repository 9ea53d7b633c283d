import { randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { StartupError } from './config.ts';

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOTDIR: 'part of the path is a file, not a folder',
  EEXIST: 'a file of that name is in the way',
  ENOSPC: 'the disk is full',
};

/**
 * Makes sure the data folder exists and can be written, before the database opens it: PGlite's
 * own errors for an unwritable folder are cryptic and arrive late.
 */
export async function ensureWritableDir(dir: string, envName = 'WINGCHECK_DATA_DIR'): Promise<void> {
  const probe = `${dir}/.write-test-${randomUUID()}`;
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(probe, '');
    await rm(probe);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    const reason = REASONS[code] ?? (error as Error).message;
    throw new StartupError(`Cannot write to the data folder ${dir} (${reason}): set ${envName} to a writable folder`);
  }
}
