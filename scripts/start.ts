/**
 * `npm start`: builds the app if it has never been built or its sources changed since, then runs
 * the server, which serves it.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const BUILT = path.join(ROOT, 'dist', 'index.html');
const INPUTS = ['src', 'sw', 'public', 'index.html', 'vite.config.ts', 'package.json'];

function newestMtime(target: string): number {
  const stats = statSync(target);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return readdirSync(target).reduce((newest, name) => Math.max(newest, newestMtime(path.join(target, name))), stats.mtimeMs);
}

function needsBuild(): boolean {
  if (!existsSync(BUILT)) return true;
  const builtAt = statSync(BUILT).mtimeMs;
  return INPUTS.some((input) => {
    const full = path.join(ROOT, input);
    return existsSync(full) && newestMtime(full) > builtAt;
  });
}

/**
 * Builds in a child process, never in this one: Vite sets process.env.NODE_ENV to "production" when
 * it is unset, and the server decides production (no demo users) from NODE_ENV. Run in the same
 * process, a plain `npm start` became a production start by that side effect. A child keeps every
 * such change out of the server's environment, whatever a library does, and frees Vite's memory.
 */
function build(): Promise<void> {
  const vite = path.join(path.dirname(fileURLToPath(import.meta.resolve('vite/package.json'))), 'bin', 'vite.js');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`the build failed (${signal ?? `exit code ${String(code)}`}): see its output above`));
    });
  });
}

if (needsBuild()) {
  console.log('Building the app…');
  const started = Date.now();
  try {
    await build();
  } catch (error) {
    console.error(`Wingcheck could not start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
  console.log(`Built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
await import('../server/src/index.ts');
