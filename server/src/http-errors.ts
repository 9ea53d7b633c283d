import { errorBody, type ErrorIssue } from '../../src/shared/api/errors.ts';

/**
 * An error with an HTTP status and a message safe to show to the person using the app, and the
 * fields it is about (so a form marks them without reading the message).
 */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
    readonly issues: readonly ErrorIssue[] = [],
  ) {
    super(message);
  }

  get body() {
    return errorBody(this.code, this.message, this.issues);
  }
}

export const unauthorised = (message = 'Sign in to continue.') => new HttpError(401, 'unauthorised', message);
export const forbidden = (message = 'You do not have permission to do that.') => new HttpError(403, 'forbidden', message);
export const notFound = (what: string) => new HttpError(404, 'not_found', `${what} not found.`);
export const conflict = (message: string) => new HttpError(409, 'conflict', message);
export const badRequest = (message: string) => new HttpError(400, 'invalid_request', message);
/**
 * A request refused for one field (dotted, as a zod issue's path): the message reads
 * "path: detail", and the issue carries the detail for the form to show beside that field.
 */
export const fieldError = (path: string, detail: string, statusCode = 400, code = 'invalid_request') =>
  new HttpError(statusCode, code, `${path}: ${detail}`, {}, [{ path, message: detail }]);
/** WINGCHECK_LOCAL_PASSWORDS=off: nothing that signs in or sets a password with one. */
export const passwordsOff = () =>
  new HttpError(403, 'passwords_off', 'Passwords are switched off on this server: people sign in with single sign-on.');
