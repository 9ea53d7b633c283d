/**
 * Blurring areas of a photo (faces, names, cell cards) before it is kept: plain functions on RGBA
 * pixels, so they are tested without a browser and give the same result on every tablet.
 *
 * A blur alone can sometimes be undone (a light Gaussian blur of large text can be read back): each
 * area is first made a coarse mosaic, every block one average colour, which throws the detail away
 * for good, then blurred so it reads as "blurred" rather than as a pattern.
 */

/** An area to blur, in the photo's own pixels. */
export interface RedactionBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The smallest area worth a box, in pixels each way: a tap without a drag makes none. */
export const MIN_BOX_SIDE = 8;

/** The box clipped to the image and rounded to whole pixels; null if nothing of it is left. */
export function clampBox(box: RedactionBox, imageWidth: number, imageHeight: number): RedactionBox | null {
  const left = Math.max(0, Math.floor(Math.min(box.x, box.x + box.width)));
  const top = Math.max(0, Math.floor(Math.min(box.y, box.y + box.height)));
  const right = Math.min(imageWidth, Math.ceil(Math.max(box.x, box.x + box.width)));
  const bottom = Math.min(imageHeight, Math.ceil(Math.max(box.y, box.y + box.height)));
  if (right - left < 1 || bottom - top < 1) return null;
  return { x: left, y: top, width: right - left, height: bottom - top };
}

/** The mosaic's block: a tenth of the area's longer side, never finer than 8 px, so letters and features go. */
export function mosaicBlock(box: RedactionBox): number {
  return Math.max(8, Math.ceil(Math.max(box.width, box.height) / 10));
}

function mosaic(pixels: Uint8ClampedArray, width: number, box: RedactionBox, block: number): void {
  for (let by = box.y; by < box.y + box.height; by += block) {
    for (let bx = box.x; bx < box.x + box.width; bx += block) {
      const endX = Math.min(bx + block, box.x + box.width);
      const endY = Math.min(by + block, box.y + box.height);
      let r = 0;
      let g = 0;
      let b = 0;
      const n = (endX - bx) * (endY - by);
      for (let y = by; y < endY; y += 1) {
        for (let x = bx; x < endX; x += 1) {
          const i = (y * width + x) * 4;
          r += pixels[i] ?? 0;
          g += pixels[i + 1] ?? 0;
          b += pixels[i + 2] ?? 0;
        }
      }
      for (let y = by; y < endY; y += 1) {
        for (let x = bx; x < endX; x += 1) {
          const i = (y * width + x) * 4;
          pixels[i] = r / n;
          pixels[i + 1] = g / n;
          pixels[i + 2] = b / n;
        }
      }
    }
  }
}

/** One pass of a box blur along rows (dx 1) or columns, inside the area only: the rest of the photo is untouched. */
function boxBlurPass(pixels: Uint8ClampedArray, width: number, box: RedactionBox, radius: number, alongRows: boolean): void {
  const lines = alongRows ? box.height : box.width;
  const length = alongRows ? box.width : box.height;
  const line = new Float32Array(length * 3);
  const index = (lineIndex: number, at: number) =>
    alongRows ? ((box.y + lineIndex) * width + box.x + at) * 4 : ((box.y + at) * width + box.x + lineIndex) * 4;
  for (let l = 0; l < lines; l += 1) {
    for (let a = 0; a < length; a += 1) {
      const i = index(l, a);
      line[a * 3] = pixels[i] ?? 0;
      line[a * 3 + 1] = pixels[i + 1] ?? 0;
      line[a * 3 + 2] = pixels[i + 2] ?? 0;
    }
    // A sliding window: each pixel the mean of those within `radius` along the line, in one sweep.
    let r = 0;
    let g = 0;
    let b = 0;
    let from = 0;
    let to = -1;
    for (let a = 0; a < length; a += 1) {
      const wantTo = Math.min(length - 1, a + radius);
      while (to < wantTo) {
        to += 1;
        r += line[to * 3] ?? 0;
        g += line[to * 3 + 1] ?? 0;
        b += line[to * 3 + 2] ?? 0;
      }
      while (from < a - radius) {
        r -= line[from * 3] ?? 0;
        g -= line[from * 3 + 1] ?? 0;
        b -= line[from * 3 + 2] ?? 0;
        from += 1;
      }
      const n = to - from + 1;
      const i = index(l, a);
      pixels[i] = r / n;
      pixels[i + 1] = g / n;
      pixels[i + 2] = b / n;
    }
  }
}

/**
 * Blurs each box of an RGBA image in place (alpha untouched). Boxes may overlap or reach past the
 * edges; ones with nothing inside the image are ignored. Returns the boxes as applied.
 */
export function blurAreas(
  pixels: Uint8ClampedArray,
  width: number,
  height: number,
  boxes: readonly RedactionBox[],
): RedactionBox[] {
  if (pixels.length !== width * height * 4) throw new Error('blurAreas: pixels do not match the size given');
  const applied: RedactionBox[] = [];
  for (const wanted of boxes) {
    const box = clampBox(wanted, width, height);
    if (!box) continue;
    const block = mosaicBlock(box);
    mosaic(pixels, width, box, block);
    const radius = Math.max(1, Math.floor(block / 2));
    boxBlurPass(pixels, width, box, radius, true);
    boxBlurPass(pixels, width, box, radius, false);
    applied.push(box);
  }
  return applied;
}
