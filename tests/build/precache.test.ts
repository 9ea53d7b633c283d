// Checks the production build (`npm run build` first): what the service worker precaches is what
// the app needs offline, and the manifest makes it installable.
import { existsSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DIST, precacheEntries, read, type PrecacheEntry } from './dist.ts';

function pngSize(file: string): { width: number; height: number } {
  const bytes = readFileSync(`${DIST}${file}`);
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('production build', () => {
  let entries: PrecacheEntry[];
  let urls: string[];
  beforeAll(() => {
    entries = precacheEntries();
    urls = entries.map((e) => e.url);
  });

  it('precaches the app shell: index.html, the scripts and styles it loads, and the manifest', () => {
    const html = read('index.html');
    const loaded = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map((m) => m[1] ?? '');
    expect(loaded.some((f) => f.endsWith('.js'))).toBe(true);
    expect(loaded.some((f) => f.endsWith('.css'))).toBe(true);
    expect(urls).toContain('index.html');
    expect(urls).toContain('manifest.webmanifest');
    for (const file of loaded) expect(urls).toContain(file);
  });

  it('precaches the lazily loaded screens too, so they open offline', () => {
    const chunks = urls.filter((u) => u.startsWith('assets/') && u.endsWith('.js'));
    expect(chunks.some((u) => u.includes('DevicePage'))).toBe(true);
  });

  it('lists each file once, every one exists, and no source maps', () => {
    expect(new Set(urls).size).toBe(urls.length);
    for (const url of urls) expect(existsSync(`${DIST}${url}`), url).toBe(true);
    expect(urls.filter((u) => u.endsWith('.map'))).toEqual([]);
  });

  it('revisions un-hashed files so an update replaces them', () => {
    for (const entry of entries) {
      if (!/-[A-Za-z0-9_-]{8}\.(js|css)$/.test(entry.url)) expect(entry.revision, entry.url).toMatch(/^[0-9a-f]{32}$/);
    }
  });

  it('links a manifest that makes the app installable, with real icons of the sizes it claims', () => {
    expect(read('index.html')).toContain('<link rel="manifest" href="/manifest.webmanifest">');
    const manifest = JSON.parse(read('manifest.webmanifest')) as {
      display: string;
      theme_color: string;
      start_url: string;
      icons: { src: string; sizes: string; purpose?: string }[];
    };
    expect(manifest.display).toBe('standalone');
    expect(manifest.theme_color).toMatch(/^#[0-9a-f]{6}$/i);
    expect(manifest.start_url).toBe('/');
    const sizes = manifest.icons.map((icon) => `${icon.sizes} ${icon.purpose ?? 'any'}`);
    expect(sizes).toEqual(expect.arrayContaining(['192x192 any', '512x512 any', '512x512 maskable']));
    for (const icon of manifest.icons) {
      const [width, height] = icon.sizes.split('x').map(Number);
      expect(pngSize(icon.src.replace(/^\//, ''))).toEqual({ width, height });
      expect(urls).toContain(icon.src.replace(/^\//, ''));
    }
  });

  it('ships no source maps and no inline scripts (the Content-Security-Policy forbids them)', () => {
    const html = read('index.html');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(read('sw.js')).not.toContain('sourceMappingURL');
  });
});
