// Performance budgets of the production build (`npm run build` first). A cheap tablet on a poor
// connection pays for every byte before the Today screen appears, so these fail the build rather
// than drift. What to do when one fails: see "Performance budgets" in README.md.
import { readFileSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DIST, precacheEntries, read } from './dist.ts';

/** Initial JavaScript for the capture path (Today and running a check), gzipped. */
const INITIAL_JS_GZIP_BYTES = 60 * 1024;
/** Everything the service worker downloads on install. */
const PRECACHE_BYTES = 1024 * 1024;

/** The scripts index.html loads before anything runs: its module entry and the modules it preloads. */
function initialScripts(): string[] {
  const html = read('index.html');
  const entry = html.matchAll(/<script[^>]*\bsrc="\/([^"]+\.js)"/g);
  const preloaded = html.matchAll(/<link rel="modulepreload"[^>]*\bhref="\/([^"]+\.js)"/g);
  const scripts = [...entry, ...preloaded];
  return [...new Set(scripts.map((m) => m[1] ?? ''))];
}

const gzipped = (file: string) => gzipSync(readFileSync(`${DIST}${file}`)).length;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

describe('performance budgets', () => {
  it(`loads at most ${kb(INITIAL_JS_GZIP_BYTES)} of gzipped JavaScript before the first screen`, () => {
    const files = initialScripts();
    expect(files.length).toBeGreaterThan(0);
    const sizes = files.map((file) => ({ file, gzip: gzipped(file) }));
    const total = sizes.reduce((sum, s) => sum + s.gzip, 0);
    const detail = sizes.map((s) => `${s.file} ${kb(s.gzip)}`).join(', ');
    expect(total, `initial JavaScript ${kb(total)} gzipped: ${detail}`).toBeLessThanOrEqual(INITIAL_JS_GZIP_BYTES);
  });

  it('keeps zod, the sync engine and the review, import and admin screens out of the first load', () => {
    const initial = initialScripts().map((file) => read(file)).join('\n');
    // zod's own error text: present in any bundle that carries zod.
    expect(initial).not.toContain('Invalid input');
    for (const screen of ['ReviewPage', 'PlansPage', 'AdminRoutes', 'SyncPage']) {
      const chunk = precacheEntries().find((e) => e.url.startsWith(`assets/${screen}-`));
      expect(chunk, `${screen} is its own chunk`).toBeDefined();
      expect(initialScripts()).not.toContain(chunk?.url);
    }
  });

  it(`precaches at most ${kb(PRECACHE_BYTES)}, with no source maps`, () => {
    const entries = precacheEntries();
    const total = entries.reduce((sum, e) => sum + statSync(`${DIST}${e.url}`).size, 0);
    expect(total, `precache ${kb(total)} in ${entries.length} files`).toBeLessThanOrEqual(PRECACHE_BYTES);
    expect(entries.filter((e) => e.url.endsWith('.map'))).toEqual([]);
  });
});
