// The production build as the build tests read it (`npm run build` first).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
export const read = (file: string) => readFileSync(`${DIST}${file}`, 'utf8');

export interface PrecacheEntry {
  url: string;
  revision: string | null;
}

/** The list the build injected in place of self.__WB_MANIFEST. */
export function precacheEntries(): PrecacheEntry[] {
  if (!existsSync(`${DIST}sw.js`)) throw new Error('dist/sw.js is missing: run `npm run build` before this suite');
  const matches = read('sw.js').matchAll(/\{"revision":(null|"[0-9a-f]+"),"url":"([^"]+)"\}/g);
  return [...matches].map((m) => ({ revision: m[1] === 'null' ? null : (JSON.parse(m[1] ?? '""') as string), url: m[2] ?? '' }));
}
