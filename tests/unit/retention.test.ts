import { describe, expect, it } from 'vitest';
import { removable, retentionCutoff } from '../../server/src/services/retention.ts';

describe('retention cutoff', () => {
  it('is the same moment whole calendar years before', () => {
    expect(retentionCutoff(new Date('2026-12-02T10:00:00Z'), 3).toISOString()).toBe('2023-12-02T10:00:00.000Z');
    expect(retentionCutoff(new Date('2026-01-01T00:00:00Z'), 1).toISOString()).toBe('2025-01-01T00:00:00.000Z');
  });

  it('falls back from 29 February to the 28th in a year without one', () => {
    expect(retentionCutoff(new Date('2028-02-29T12:00:00Z'), 1).toISOString()).toBe('2027-02-28T12:00:00.000Z');
    expect(retentionCutoff(new Date('2028-02-29T12:00:00Z'), 4).toISOString()).toBe('2024-02-29T12:00:00.000Z');
  });
});

describe('which expired checks may go', () => {
  it('keeps a check that a kept correction replaces, along the whole chain of corrections', () => {
    // c corrects b, which corrects a; only a and b have expired: c is kept, so b is, so a is.
    const corrections = new Map([['b', 'a'], ['c', 'b']]);
    expect(removable(new Set(['a', 'b']), corrections)).toEqual(new Set());
    // All three expired: all go together.
    expect(removable(new Set(['a', 'b', 'c']), corrections)).toEqual(new Set(['a', 'b', 'c']));
    // A correction may go while what it corrected stays (nothing names a correction).
    expect(removable(new Set(['c']), corrections)).toEqual(new Set(['c']));
  });

  it('lets unrelated expired checks go', () => {
    expect(removable(new Set(['x', 'y']), new Map([['z', 'q']]))).toEqual(new Set(['x', 'y']));
  });
});
