/**
 * `npm start`: builds the app if it has never been built or its sources changed since, then runs
 * the server, which serves it.
 */
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

if (needsBuild()) {
  console.log('Building the app…');
  const started = Date.now();
  const { build } = await import('vite');
  await build({ root: ROOT, logLevel: 'warn' });
  console.log(`Built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
await import('../server/src/index.ts');
