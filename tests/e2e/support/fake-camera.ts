import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tagPosition } from '../../../server/src/services/location-tags.ts';

const DPI = 150;
const FRAME = { width: 640, height: 480 };

/** A binary PGM (what `pdftoppm -gray` writes): width, height and one byte per pixel. */
function readPgm(file: string): { width: number; height: number; pixels: Buffer } {
  const bytes = readFileSync(file);
  // "P5", width, height, max value, each followed by whitespace; the pixels follow the last.
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(bytes.subarray(0, 64).toString('latin1'));
  if (!header) throw new Error(`${file} is not a binary PGM`);
  const [whole = '', width = '0', height = '0'] = header;
  return { width: Number(width), height: Number(height), pixels: bytes.subarray(whole.length) };
}

/**
 * A video file for Chromium's fake camera (`--use-file-for-fake-video-capture`) showing the
 * `index`th tag of a printed tag sheet, as a tablet held up to it would see it: its page rendered
 * by poppler, the tag cut out with a white margin and set in a white 640 × 480 frame (Y4M, 4:2:0).
 */
export function cameraFileOfTag(sheetPdf: string, index: number, dir: string): string {
  const where = tagPosition(index);
  const stem = path.join(dir, 'sheet');
  execFileSync('pdftoppm', ['-gray', '-r', String(DPI), '-f', String(where.page), '-l', String(where.page), '-singlefile', sheetPdf, stem]);
  const page = readPgm(`${stem}.pgm`);
  const scale = DPI / 72;
  const margin = 24;
  const left = Math.round(where.x * scale) - margin;
  const top = Math.round(where.y * scale) - margin;
  const side = Math.round(where.size * scale) + 2 * margin;
  const luma = Buffer.alloc(FRAME.width * FRAME.height, 255);
  const offsetX = Math.floor((FRAME.width - side) / 2);
  const offsetY = Math.floor((FRAME.height - side) / 2);
  for (let y = 0; y < side; y += 1) {
    for (let x = 0; x < side; x += 1) {
      const value = page.pixels[(top + y) * page.width + (left + x)] ?? 255;
      luma[(offsetY + y) * FRAME.width + (offsetX + x)] = value;
    }
  }
  const chroma = Buffer.alloc((FRAME.width / 2) * (FRAME.height / 2) * 2, 128);
  const file = path.join(dir, 'tag.y4m');
  const header = Buffer.from(`YUV4MPEG2 W${FRAME.width} H${FRAME.height} F10:1 Ip A1:1 C420jpeg\nFRAME\n`);
  writeFileSync(file, Buffer.concat([header, luma, chroma]));
  return file;
}
