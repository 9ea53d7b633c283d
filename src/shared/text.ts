import { z } from 'zod';

/**
 * The text and time policy for every value a client sends. The app (before it queues anything),
 * the service worker and the server parse with these same builders, so they agree on what can be
 * stored. Use them instead of a bare `z.string()` or `z.iso.*` for anything a client sends.
 *
 * Text: no NUL (U+0000), which PostgreSQL's text and jsonb cannot hold, and no unpaired UTF-16
 * surrogate, which is not a character at all (jsonb refuses it; text would silently turn it into
 * U+FFFD). Both arrive only by pasting from odd sources or by tampering, never by typing.
 *
 * Time: calendar dates (`LocalDate`) from EARLIEST_DATE to LATEST_DATE, instants (`Instant`) in
 * the same years. Wingcheck's records start long after 2000 and plans do not run past 2099; a
 * value outside is a typing mistake, a tablet whose clock was reset, or an attack (year 0000 is
 * not a date PostgreSQL knows). How far a device's clock may run ahead of the server's is
 * MAX_CLOCK_AHEAD_MS: the server checks it against its own clock, which this module cannot know.
 */

/** Tests a string for code units that are not text: a lone high or low surrogate. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:^|[^\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a string cannot be stored, in words for a person; null if it can. */
export function textProblem(value: string): string | null {
  if (value.includes('\u0000')) return 'must not contain a NUL character (U+0000)';
  if (LONE_SURROGATE.test(value)) return 'must not contain a broken character (an unpaired UTF-16 surrogate)';
  return null;
}

function storable(value: string, ctx: z.RefinementCtx): void {
  const problem = textProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
}

/** Text kept exactly as sent (passwords, answers, notes' own spacing): at most `max` characters, storable. */
export const SafeText = (max: number) => z.string().max(max, `must be at most ${max} characters`).superRefine(storable);

/** Text a person typed: trimmed, never empty, at most `max` characters, storable. */
export const Text = (max: number) =>
  z.string().trim().min(1, 'is required').max(max, `must be at most ${max} characters`).superRefine(storable);

/** Optional text a person typed: trimmed, may be empty, at most `max` characters, storable. */
export const OptionalText = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`).superRefine(storable);

export const EARLIEST_DATE = '2000-01-01';
export const LATEST_DATE = '2099-12-31';
const EARLIEST_MS = Date.UTC(2000, 0, 1);
const AFTER_LATEST_MS = Date.UTC(2100, 0, 1);

/** A calendar date, YYYY-MM-DD, in 2000–2099 (ISO dates compare correctly as text). */
export const LocalDate = (message = 'must be a date written YYYY-MM-DD, like 2026-11-23') =>
  z.iso
    .date({ error: message, abort: true })
    .refine((date) => date >= EARLIEST_DATE && date <= LATEST_DATE, `must be a date from ${EARLIEST_DATE} to ${LATEST_DATE}`);

/** A moment with its offset (ISO 8601, as toISOString writes it), in 2000–2099. */
export const Instant = () =>
  z.iso.datetime({ offset: true, abort: true, error: 'must be a date and time written like 2026-11-23T09:05:00.000Z' }).refine((value) => {
    const ms = Date.parse(value);
    return ms >= EARLIEST_MS && ms < AFTER_LATEST_MS;
  }, 'must be a time from 2000 to 2099: check the tablet’s date and time');

/**
 * How far ahead of the server's clock a device's claimed time may be and still be believed: a
 * day, which covers a tablet set to the wrong time zone. Behind is always believed (tablets work
 * offline for days). The server keeps the device's claim and its own time of receipt beside it.
 */
export const MAX_CLOCK_AHEAD_MS = 24 * 60 * 60 * 1000;

/** Deeper than this, a JSON value is not anything Wingcheck sends (its deepest is about 8). */
export const MAX_JSON_DEPTH = 32;

/** Whether a parsed JSON value nests deeper than `max`, found without recursion (no stack to overflow). */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [node, depth] = next;
    if (node === null || typeof node !== 'object') continue;
    if (depth >= max) return true;
    for (const child of Object.values(node)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}

/** The first thing wrong with a parsed value, naming its field: "payload.answers.q1.value: must not contain …". */
export function firstIssue(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.map(String).join('.') || 'value'}: ${issue.message}` : 'malformed';
}
