import fc from 'fast-check';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { escapeLiteral } from '../../server/src/db/client.ts';

describe('escapeLiteral', () => {
  it('writes exactly what node-postgres writes, for any string', () => {
    const risky = fc.constantFrom("'", '\\', "''", '\\\\', "\\'", 'E', ' ', '\n', '$1', '"', '\0');
    const text = fc.array(fc.oneof(fc.string({ unit: 'binary' }), risky)).map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, (value) => {
        expect(escapeLiteral(value)).toBe(pg.escapeLiteral(value));
      }),
      { numRuns: 2000 },
    );
  });

  it('doubles quotes, and doubles backslashes behind an E', () => {
    expect(escapeLiteral("it's")).toBe("'it''s'");
    expect(escapeLiteral('a\\b')).toBe(" E'a\\\\b'");
    expect(escapeLiteral('')).toBe("''");
  });
});
