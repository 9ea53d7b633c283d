import path from 'node:path';
import { FILE_NAME_HEADER } from '../../../src/shared/api/plans.ts';
import { PlanParseError } from '../../../src/shared/plan-import/schema.ts';
import { handlers } from '../endpoint-handlers.ts';
import { badRequest, HttpError } from '../http-errors.ts';
import { planParser, PlanParserBusyError, PlanTooComplexError } from '../services/plan-parser.ts';

// Uploaded plans arrive as raw bytes, whatever the browser calls their type.
export const FILE_TYPES = [
  'application/octet-stream',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.oasis.opendocument.text',
  'application/pdf',
  'text/plain',
  'text/csv',
  'text/html',
  'text/tab-separated-values',
];

/** What a stored plan's source may hold (StorablePlan.source), so a preview can always be saved. */
const MAX_FILE_NAME = 200;
// Controls (NUL, line breaks, DEL, C1) and the bidirectional overrides and isolates that make a name read other than it is.
const UNSAFE_NAME = /[\p{Cc}\u202a-\u202e\u2066-\u2069]/u;

/** The upload's file name from its URI-encoded header ("plan" without one); 400 naming the header for anything else. */
function uploadedFileName(header: string | string[] | undefined): string {
  if (header === undefined) return 'plan';
  const how = `send the file's name URI-encoded (encodeURIComponent), or leave ${FILE_NAME_HEADER} out`;
  if (typeof header !== 'string') throw badRequest(`The ${FILE_NAME_HEADER} header must be sent once: ${how}.`);
  // Up to 9 characters encode one UTF-16 unit; anything longer cannot decode to an allowed name.
  if (header.length > MAX_FILE_NAME * 9) throw badRequest(`The ${FILE_NAME_HEADER} header is too long: ${how}.`);
  let name: string;
  try {
    name = decodeURIComponent(header);
  } catch {
    throw badRequest(`The ${FILE_NAME_HEADER} header is not a valid URI-encoded name (a broken % escape): ${how}.`);
  }
  // The importer keeps the last path segment only; a name that has none is no name.
  if (!path.basename(name).trim()) throw badRequest(`The ${FILE_NAME_HEADER} header is empty: ${how}.`);
  if (name.length > MAX_FILE_NAME) throw badRequest(`The ${FILE_NAME_HEADER} header names a file of more than ${MAX_FILE_NAME} characters: rename the file.`);
  if (UNSAFE_NAME.test(name)) throw badRequest(`The ${FILE_NAME_HEADER} header holds control characters: rename the file.`);
  return name;
}

/**
 * Reads an uploaded plan and answers what the importer made of it, for the admin to check and
 * correct before anything is stored.
 */
export const planParseHandlers = handlers({
  'plans.parse': async ({ body }, { request }) => {
    const fileName = uploadedFileName(request.headers[FILE_NAME_HEADER]);
    if (!(body instanceof Buffer)) throw new HttpError(415, 'unsupported_media_type', 'Upload the plan file itself.');
    try {
      // Off the main thread, with memory and time limits: a pathological file costs a worker, not the server.
      return await planParser.parse(body, fileName);
    } catch (error) {
      if (error instanceof PlanTooComplexError) throw new HttpError(422, 'plan_too_complex', error.message);
      if (error instanceof PlanParseError) throw new HttpError(422, 'unreadable_plan', error.message);
      // 429, not 503: nothing is wrong with the server, there is just more to read than it takes at once.
      if (error instanceof PlanParserBusyError) throw new HttpError(429, 'busy', error.message, { 'retry-after': '60' });
      throw error;
    }
  },
});
