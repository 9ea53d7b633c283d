/**
 * Generated hostile input for the property test over every route (hostile-input.test.ts): text
 * PostgreSQL cannot store, huge and deep structures, extreme numbers and dates, odd encodings,
 * wrong types and unknown fields. JSON is carried as text, so structures nested far deeper than
 * JSON.stringify could write are sent as they would arrive on the wire.
 */
import fc from 'fast-check';

/** Strings no text field may accept: PostgreSQL refuses NUL, and a lone surrogate is not text. */
export const POISON = ['\u0000', '\uD800', '\uDFFF', '\uDBFF'] as const;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:^|[^\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function isPoisoned(text: string): boolean {
  return text.includes('\u0000') || LONE_SURROGATE.test(text);
}

const SPECIAL_TEXT = [
  '',
  ' ',
  '\u0000',
  'A Wing\u0000',
  '\u0000\u0000\u0000',
  '\uD800',
  'x\uDC00y',
  '\uD83D',
  '\uD83D\uDE00',
  '\uFEFF',
  '\u202Eevil',
  '\uFFFF\uFFFE',
  'e\u0301',
  '%00',
  '%s%n',
  '$1',
  "'; DROP TABLE checks; --",
  '\\u0000',
  '0000-01-01',
  '9999-12-31',
  '2026-02-30',
  '-271821-04-20',
  '+275760-09-13T00:00:00.000Z',
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '1970-01-01T00:00:00Z',
  '2026-11-23T25:00:00Z',
  '2026-11-23T09:00:00+14:00',
  '1e400',
  'NaN',
  '-0',
  '99999999999999999999',
  '__proto__',
  'constructor',
  'x'.repeat(10_000),
];

/** Any UTF-16 code unit, lone surrogates and NUL included. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));

export const hostileText: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...SPECIAL_TEXT) },
  { weight: 2, arbitrary: fc.string({ unit: codeUnit, maxLength: 40 }) },
  { weight: 3, arbitrary: fc.tuple(fc.string({ maxLength: 10 }), fc.constantFrom(...POISON), fc.string({ maxLength: 10 })).map((parts) => parts.join('')) },
  { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 200_000 }).map((n) => 'é'.repeat(n)) },
);

/** Text that must be refused wherever a person's text is stored. */
export const poisonedText: fc.Arbitrary<string> = fc
  .tuple(fc.string({ maxLength: 12 }), fc.constantFrom(...POISON), fc.string({ maxLength: 12 }))
  .map((parts) => parts.join(''));

const nested = (depth: number, open: string, inner: string, close: string) => open.repeat(depth) + inner + close.repeat(depth);

/** A JSON value, as text. */
export const hostileJson: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: hostileText.map((text) => JSON.stringify(text)) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '1e400', '-1e400', '1e308', '-1e308', '-0', '0', '-1', '0.5', '9007199254740993', '123456789012345678901234567890',
      '4294967296', '-2147483649', 'true', 'false', 'null', '{}', '[]', '""', '[null]', '{"":""}',
      '{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"admin":true}}}',
    ),
  },
  { weight: 2, arbitrary: fc.json({ maxDepth: 3 }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 200, max: 100_000 }), fc.constantFrom('array', 'object'))
      .map(([depth, kind]) => (kind === 'array' ? nested(depth, '[', '', ']') : nested(depth, '{"a":', '1', '}'))),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 1_000, max: 60_000 }), fc.constantFrom('array', 'object'))
      .map(([n, kind]) =>
        kind === 'array' ? `[${Array.from({ length: n }, () => '0').join(',')}]` : `{${Array.from({ length: n }, (_, i) => `"k${i}":0`).join(',')}}`,
      ),
  },
);

/** A whole request body, as bytes, with the content type it claims. */
export interface RawBody {
  contentType: string;
  bytes: Buffer;
}

const utf8 = (text: string) => Buffer.from(text, 'utf8');

export const rawBody: fc.Arbitrary<RawBody> = fc.oneof(
  fc.constantFrom<RawBody>(
    { contentType: 'application/json', bytes: Buffer.from([0xff, 0xfe, 0x7b, 0x00, 0x7d, 0x00]) },
    { contentType: 'application/json', bytes: Buffer.concat([utf8('{"name":"'), Buffer.from([0xc0, 0x80]), utf8('"}')]) },
    { contentType: 'application/json', bytes: Buffer.concat([utf8('{"name":"'), Buffer.from([0xed, 0xa0, 0x80]), utf8('"}')]) },
    { contentType: 'application/json', bytes: Buffer.concat([utf8('{"name":"'), Buffer.from([0xff, 0xff]), utf8('"}')]) },
    { contentType: 'application/json', bytes: utf8('\uFEFF{}') },
    { contentType: 'application/json', bytes: utf8('{"a":1,"a":2}') },
    { contentType: 'application/json', bytes: utf8('nul\u0000l') },
    { contentType: 'application/json', bytes: utf8('{"name": "unterminated') },
    { contentType: 'application/json', bytes: Buffer.alloc(0) },
    { contentType: 'application/json; charset=utf-16le', bytes: Buffer.from('{}', 'utf16le') },
    { contentType: 'application/json; charset=latin1', bytes: Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x3a, 0x31, 0x7d]) },
    { contentType: 'application/x-www-form-urlencoded', bytes: utf8('username=a%00&password=b') },
    { contentType: 'multipart/form-data; boundary=x', bytes: utf8('--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n--x--') },
    { contentType: 'text/plain', bytes: utf8('\u0000') },
    { contentType: 'image/jpeg', bytes: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]) },
    { contentType: 'application/octet-stream', bytes: Buffer.alloc(0) },
    { contentType: '', bytes: utf8('{}') },
    { contentType: 'application/json', bytes: utf8(`{"x":${nested(300_000, '[', '', ']')}}`) },
  ),
  fc
    .tuple(fc.constantFrom('application/json', 'text/plain', 'image/jpeg', 'image/png', 'application/octet-stream'), fc.uint8Array({ maxLength: 2048 }))
    .map(([contentType, bytes]) => ({ contentType, bytes: Buffer.from(bytes) })),
);

/**
 * Text as it may appear in a URL: percent-encoded as UTF-8, with a lone surrogate encoded as the
 * bytes it would have in WTF-8 (not valid UTF-8), and sometimes raw, malformed escapes.
 */
export function percentEncode(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    if (code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      out += encodeURIComponent(text.slice(i, i + 2));
      i += 1;
    } else if (code >= 0xd800 && code <= 0xdfff) {
      out += `%${(0xe0 | (code >> 12)).toString(16)}%${(0x80 | ((code >> 6) & 0x3f)).toString(16)}%${(0x80 | (code & 0x3f)).toString(16)}`;
    } else {
      out += encodeURIComponent(text[i] ?? '');
    }
  }
  return out;
}

const MALFORMED_URL_TEXT = ['%', '%ZZ', '%E0%A4%A', '%ED%A0%80', '%C0%80', '%00', '..%2F..%2Fetc%2Fpasswd', '%2e%2e', 'a%2Fb', '%FF%FE', '+', '%20'];

export const urlText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: hostileText.filter((t) => t.length < 5_000).map(percentEncode) },
  { weight: 1, arbitrary: fc.constantFrom(...MALFORMED_URL_TEXT) },
);

/** What an HTTP header can carry at all (bytes 0x20–0xFF, and tab): anything else never reaches the server. */
const headerSafe = (text: string) => /^[\t\x20-\x7e\x80-\xff]*$/.test(text);

export const headerText: fc.Arbitrary<string> = fc.oneof(
  hostileText.filter(headerSafe),
  fc.constantFrom(
    'application/json; charset=utf-16',
    'application/json\t; charset=x',
    'wingcheck_session=%E0%A4%A',
    'wingcheck_session=%00',
    'wingcheck_session=' + 'a'.repeat(4_000),
    'wingcheck_session="unterminated',
    'wingcheck_session=a; wingcheck_session=b',
    '\xff\xfe',
    '0',
    '-1',
    '99999999999999999999',
    'gzip',
    'br',
  ),
);

/** Headers a route or the guard might read, and ones nothing should. */
export const HEADER_NAMES = [
  'content-type',
  'cookie',
  'x-csrf-token',
  'x-wingcheck-device',
  'x-wingcheck-protocol',
  'x-file-name',
  'accept',
  'accept-encoding',
  'content-encoding',
  'x-forwarded-for',
  'x-forwarded-proto',
  'if-none-match',
  'range',
] as const;
