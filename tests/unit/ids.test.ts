import { describe, expect, it } from 'vitest';
import { isUuidV7, newId } from '../../src/shared/ids.ts';

describe('newId', () => {
  it('makes UUIDv7s that sort in the order they were made', () => {
    const ids = Array.from({ length: 1000 }, () => newId());
    expect(ids.every(isUuidV7)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it('tells a v7 from other UUIDs and from junk', () => {
    expect(isUuidV7('0192f5e4-6d3a-7c1e-9b2a-3f4e5d6c7b8a')).toBe(true);
    expect(isUuidV7('6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(false);
    expect(isUuidV7('not-a-uuid')).toBe(false);
  });
});
