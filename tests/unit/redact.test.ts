import { describe, expect, it } from 'vitest';
import { blurAreas, clampBox, mosaicBlock } from '../../src/photos/redact.ts';

/** A black-and-white checkerboard of 1 px squares: the finest detail there is, like small print. */
function checkerboard(width: number, height: number): Uint8ClampedArray {
  const pixels = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const i = (y * width + x) * 4;
      const v = (x + y) % 2 === 0 ? 0 : 255;
      pixels.set([v, v, v, 255], i);
    }
  }
  return pixels;
}

const at = (pixels: Uint8ClampedArray, width: number, x: number, y: number) => {
  const i = (y * width + x) * 4;
  return [...pixels.slice(i, i + 4)];
};

describe('blurring areas of a photo', () => {
  it('removes the detail inside a box and leaves every pixel outside it as it was', () => {
    const width = 120;
    const height = 80;
    const original = checkerboard(width, height);
    const pixels = original.slice();
    const applied = blurAreas(pixels, width, height, [{ x: 20, y: 10, width: 60, height: 40 }]);
    expect(applied).toEqual([{ x: 20, y: 10, width: 60, height: 40 }]);
    for (let y = 0; y < height; y += 1) {
      for (let x = 0; x < width; x += 1) {
        const inside = x >= 20 && x < 80 && y >= 10 && y < 50;
        const [r, , , a] = at(pixels, width, x, y);
        expect(a).toBe(255);
        // Outside: untouched. Inside: the checkerboard's black and white are gone, all near mid-grey.
        if (!inside) expect(at(pixels, width, x, y)).toEqual(at(original, width, x, y));
        else expect(Math.abs((r ?? 0) - 127.5)).toBeLessThan(4);
      }
    }
  });

  it('takes boxes drawn in any direction, past the edges, or overlapping; ignores one wholly outside', () => {
    const pixels = checkerboard(50, 50);
    const applied = blurAreas(pixels, 50, 50, [
      { x: 40, y: 40, width: -20, height: -30 },
      { x: -10, y: 45, width: 30, height: 20 },
      { x: 60, y: 60, width: 10, height: 10 },
      { x: 25, y: 15, width: 10, height: 10 },
    ]);
    expect(applied).toEqual([
      { x: 20, y: 10, width: 20, height: 30 },
      { x: 0, y: 45, width: 20, height: 5 },
      { x: 25, y: 15, width: 10, height: 10 },
    ]);
  });

  it('uses blocks coarse enough to remove text, at least 8 px, a tenth of the longer side', () => {
    expect(mosaicBlock({ x: 0, y: 0, width: 20, height: 10 })).toBe(8);
    expect(mosaicBlock({ x: 0, y: 0, width: 400, height: 100 })).toBe(40);
    expect(clampBox({ x: 5, y: 5, width: 0, height: 10 }, 100, 100)).toBeNull();
  });

  it('refuses pixels that do not match the size it is told', () => {
    expect(() => blurAreas(new Uint8ClampedArray(10), 2, 2, [])).toThrow(/do not match/);
  });
});
