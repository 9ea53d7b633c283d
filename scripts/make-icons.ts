/**
 * Draws the app icons from one SVG and renders the PNG sizes the web app manifest and iOS need,
 * with the Chromium the tests already use. Run after changing the drawing: npm run icons
 */
import { writeFile } from 'node:fs/promises';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/support/chromium.ts';

const BLUE = '#1d70b8';
const YELLOW = '#ffdd00';

/** A clipboard with a tick: a check, done. `scale` shrinks it into a maskable icon's safe zone. */
function glyph(scale: number): string {
  return `<g transform="translate(256 256) scale(${scale}) translate(-256 -256)">
    <rect x="136" y="112" width="240" height="308" rx="28" fill="none" stroke="#fff" stroke-width="30"/>
    <rect x="192" y="84" width="128" height="60" rx="18" fill="#fff"/>
    <path d="M190 272 l48 48 l88 -100" fill="none" stroke="${YELLOW}" stroke-width="38" stroke-linecap="round" stroke-linejoin="round"/>
  </g>`;
}

const svg = (opts: { rounded: boolean; scale: number }): string =>
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512">
  <rect width="512" height="512" rx="${opts.rounded ? 96 : 0}" fill="${BLUE}"/>
  ${glyph(opts.scale)}
</svg>
`;

const outputs = [
  { file: 'icon-192.png', size: 192, rounded: true, scale: 1 },
  { file: 'icon-512.png', size: 512, rounded: true, scale: 1 },
  // Maskable: full bleed, the glyph inside the central 80% circle every mask keeps.
  { file: 'icon-maskable-512.png', size: 512, rounded: false, scale: 0.72 },
  // iOS rounds the corners itself and shows transparency as black.
  { file: 'apple-touch-icon.png', size: 180, rounded: false, scale: 0.85 },
];

const dir = new URL('../public/icons/', import.meta.url);
await writeFile(new URL('icon.svg', dir), svg({ rounded: true, scale: 1 }));
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage();
  for (const out of outputs) {
    await page.setViewportSize({ width: out.size, height: out.size });
    await page.setContent(
      `<style>html,body{margin:0;background:transparent}svg{display:block;width:${out.size}px;height:${out.size}px}</style>${svg(out)}`,
    );
    await writeFile(new URL(out.file, dir), await page.screenshot({ omitBackground: true }));
    console.log(`public/icons/${out.file} (${out.size}x${out.size})`);
  }
} finally {
  await browser.close();
}
