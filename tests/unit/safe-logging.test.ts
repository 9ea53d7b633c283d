// What a log line may take from an error or a request: names, codes and frames, never values.
import { describe, expect, it } from 'vitest';
import { blankValues, safeError, safeSerializers, safeUrl } from '../../server/src/safe-logging.ts';

const SECRET = 'Mr Example said the food was "cold"';

/** An error shaped as the engines make them, carrying the secret everywhere they put values. */
function databaseError(): Error {
  return Object.assign(new Error(`invalid input syntax for type json: "{"note":"${SECRET}"}"`), {
    severity: 'ERROR',
    code: '22P02',
    detail: `Failing row contains (1, ${SECRET}).`,
    where: `JSON data, line 1: {"note":"${SECRET}`,
    hint: SECRET,
    internalQuery: `SELECT '${SECRET}'`,
    params: ['01a234f8-e32a-732c-bcc4-fc9fb8d14743', SECRET],
    query: 'INSERT INTO checks (id, answers) VALUES ($1, $2)',
    queryOptions: { parsers: {} },
    table: 'checks',
    column: 'answers',
    constraint: 'checks_answers_check',
    routine: 'json_errsave_error',
  });
}

describe('safe logging', () => {
  it('keeps an engine error\'s code, identifiers and frames, and nothing that holds a value', () => {
    const safe = safeError(databaseError());
    expect(JSON.stringify(safe)).not.toContain('Mr Example');
    expect(safe).toMatchObject({
      type: 'DatabaseError',
      message: 'invalid input syntax for type json: "…"',
      code: '22P02',
      table: 'checks',
      column: 'answers',
      constraint: 'checks_answers_check',
    });
    expect(safe.stack).toMatch(/^DatabaseError: invalid input syntax for type json: "…"\n\s+at /);
    for (const key of ['detail', 'where', 'hint', 'internalQuery', 'params', 'query', 'queryOptions']) expect(safe).not.toHaveProperty(key);
  });

  it('blanks values however the message quotes them, and byte sequences', () => {
    expect(blankValues('invalid input syntax for type uuid: "abc"')).toBe('invalid input syntax for type uuid: "…"');
    expect(blankValues('value "a "quoted" word" is out of range')).toBe('value "…" is out of range');
    expect(blankValues('invalid byte sequence for encoding "UTF8": 0xed 0xa0 0x80')).toBe('invalid byte sequence for encoding "…": 0x…');
    expect(blankValues('x'.repeat(1000))).toHaveLength(301);
  });

  it('follows causes, and drops what Node\'s HTTP parser attaches (the raw request)', () => {
    const outer = new Error('push failed', { cause: databaseError() });
    const safe = safeError(Object.assign(outer, { rawPacket: Buffer.from(`POST / HTTP/1.1\r\n\r\n{"password":"${SECRET}"}`), code: 'HPE_INVALID' }));
    expect(JSON.stringify(safe)).not.toContain('Mr Example');
    expect(safe).toMatchObject({ code: 'HPE_INVALID', cause: { code: '22P02' } });
    expect(safe).not.toHaveProperty('rawPacket');
    expect(safeError('a string thrown')).toMatchObject({ message: '(not an Error)' });
  });

  it('logs a request by method, path, route and the names of its query parameters', () => {
    expect(safeUrl('/api/export?from=2026-01-01&q=Mr%20Example')).toBe('/api/export?from=…&q=…');
    expect(safeUrl('/api/health')).toBe('/api/health');
    const logged = safeSerializers.req({ method: 'GET', url: '/api/sync/pull?cursor=12', ip: '10.0.0.1', routeOptions: { url: '/api/sync/pull' } });
    expect(logged).toEqual({ method: 'GET', url: '/api/sync/pull?cursor=…', route: '/api/sync/pull', remoteAddress: '10.0.0.1' });
  });
});
