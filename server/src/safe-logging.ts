/**
 * What the server's log may say about a request or an error. Logs go to terminals, files and log
 * collectors that are not evidence stores: they must never hold evidence text, answers,
 * passwords, request bodies or SQL parameter values. PGlite attaches a failed query's parameters
 * to its error (`params`), PostgreSQL puts row values in `detail` and `where` ("Failing row
 * contains (...)", "JSON data, line 1: ...") and quotes the offending value in the message, and
 * Node's HTTP parser attaches the raw request (`rawPacket`) to a client error. So errors are
 * logged by a list of what is safe (type, code, identifiers, the message with quoted values
 * blanked, stack frames), never by copying their fields, and requests by method, path and
 * parameter names.
 */
import type { FastifyServerOptions } from 'fastify';

const MAX_MESSAGE = 300;
const MAX_CAUSES = 3;
/** A code is an identifier (23505, ECONNREFUSED, FST_ERR_CTP_BODY_TOO_LARGE), never free text. */
const CODE = /^[A-Za-z0-9_.-]{1,64}$/;
/** SQL identifiers PostgreSQL reports beside the message: names of things, not values. */
const IDENTIFIER_FIELDS = ['severity', 'routine', 'schema', 'table', 'column', 'constraint', 'dataType'] as const;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$. ]{0,62}$/;

/**
 * A message with anything that may be a value blanked: quoted text (PostgreSQL and JSON.parse
 * quote the input they refuse, without escaping the quotes inside it, so everything from the
 * first double quote to the last goes) and byte sequences (invalid UTF-8 echoed back).
 * Identifiers in quotes go too; the error's own fields name the table, column and constraint.
 */
export function blankValues(message: string): string {
  const blanked = message
    .replace(/"[\s\S]*"/, '"…"')
    .replace(/\b0x[0-9a-f]{2}(?:\s+0x[0-9a-f]{2})*/gi, '0x…');
  return blanked.length > MAX_MESSAGE ? `${blanked.slice(0, MAX_MESSAGE)}…` : blanked;
}

export interface SafeError {
  type: string;
  message: string;
  stack: string;
  code?: string;
  statusCode?: number;
  [identifier: string]: unknown;
}

/** The parts of an error that can be logged: see the module comment. */
export function safeError(error: unknown, depth = 0): SafeError {
  if (!(error instanceof Error)) return { type: typeof error, message: '(not an Error)', stack: '' };
  const fields = error as Error & Record<string, unknown>;
  // PGlite's class name is minified; both engines' errors carry a SQLSTATE and a severity.
  const fromDatabase = typeof fields.severity === 'string' && typeof fields.code === 'string';
  const type = fromDatabase ? 'DatabaseError' : error.constructor.name || error.name;
  const message = blankValues(error.message);
  // The stack's first lines repeat the message: only its frames are kept (and db/client.ts's marker).
  const frames = (error.stack ?? '').split('\n').filter((line) => /^\s+(?:at |--- )/.test(line));
  const safe: SafeError = { type, message, stack: [`${type}: ${message}`, ...frames].join('\n') };
  if (typeof fields.code === 'string' && CODE.test(fields.code)) safe.code = fields.code;
  if (typeof fields.statusCode === 'number') safe.statusCode = fields.statusCode;
  for (const key of IDENTIFIER_FIELDS) {
    const value = fields[key];
    if (typeof value === 'string' && IDENTIFIER.test(value)) safe[key] = value;
  }
  if (fields.cause !== undefined && depth < MAX_CAUSES) safe.cause = safeError(fields.cause, depth + 1);
  return safe;
}

interface LoggedRequest {
  method: string;
  url: string;
  id?: string;
  ip?: string;
  routeOptions?: { url?: string };
}

/** A URL's path and its query's parameter names: the values may be anything a client typed. */
export function safeUrl(url: string): string {
  const at = url.indexOf('?');
  if (at === -1) return url;
  const names = url.slice(at + 1).split('&').map((pair) => pair.split('=')[0] ?? '').filter((name) => /^[A-Za-z0-9_-]{1,40}$/.test(name));
  return `${url.slice(0, at)}?${names.map((name) => `${name}=…`).join('&')}`;
}

/** Fastify's request line, less the query's values. */
function safeRequest(request: LoggedRequest | null | undefined): Record<string, unknown> {
  if (!request) return {};
  return { method: request.method, url: safeUrl(request.url), route: request.routeOptions?.url, remoteAddress: request.ip };
}

export const safeSerializers = { err: safeError, error: safeError, req: safeRequest };

type LoggerOption = FastifyServerOptions['logger'];

/** The app's logger options with these serializers, which nothing passed in may replace. */
export function withSafeSerializers(logger: LoggerOption): LoggerOption {
  if (logger === undefined || logger === false) return false;
  const options = logger === true ? {} : logger;
  return { ...options, serializers: { ...options.serializers, ...safeSerializers } };
}
