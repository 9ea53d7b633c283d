import { describe, expect, it } from 'vitest';
import { formatBytes, formatShare } from '../../src/shared/format.ts';

describe('formatBytes', () => {
  it.each([
    [0, '0 bytes'],
    [1, '1 byte'],
    [1023, '1023 bytes'],
    [1024, '1.0 KB'],
    [1536, '1.5 KB'],
    [10 * 1024, '10 KB'],
    [5.25 * 1024 * 1024, '5.3 MB'],
    [300 * 1024 ** 3, '300 GB'],
    [2 * 1024 ** 5, '2048 TB'],
  ])('%d -> %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it('refuses what is not a byte count', () => {
    expect(() => formatBytes(-1)).toThrow(RangeError);
    expect(() => formatBytes(Number.NaN)).toThrow(RangeError);
  });
});

describe('formatShare', () => {
  it('rounds to whole percent, but never shows a little as 0%', () => {
    expect(formatShare(50, 200)).toBe('25%');
    expect(formatShare(1, 1000)).toBe('less than 1%');
    expect(formatShare(0, 1000)).toBe('0%');
    expect(formatShare(5, 0)).toBe('unknown');
  });
});
