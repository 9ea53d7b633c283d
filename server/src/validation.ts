import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, FastifySchemaCompiler, FastifyTypeProvider } from 'fastify';
import type { z, ZodType } from 'zod';
import { errorBody, type ErrorIssue } from '../../src/shared/api/errors.ts';
import { MAX_JSON_DEPTH, nestedDeeperThan } from '../../src/shared/text.ts';
import { HttpError } from './http-errors.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * How deep a JSON body of this route may nest (default MAX_JSON_DEPTH). The push route lifts
     * it: each mutation's payload is bounded on its own there, so one is refused alone.
     */
    jsonDepth?: number;
  }
}

/** Lets routes declare zod schemas (`schema: { body: SomeSchema }`) and get typed, parsed input. */
export interface ZodTypeProvider extends FastifyTypeProvider {
  validator: this['schema'] extends ZodType ? z.output<this['schema']> : unknown;
  serializer: this['schema'] extends ZodType ? z.input<this['schema']> : unknown;
}

const PART_NAMES: Record<string, string> = { body: 'body', querystring: 'query', params: 'path', headers: 'header' };

/** "username: Too small: expected string to have >=1 characters; role: Invalid option" */
export function describeIssues(error: z.ZodError, part: string): string {
  const where = PART_NAMES[part] ?? part;
  const parts = error.issues.slice(0, 5).map((issue) => {
    const field = issue.path.map(String).join('.');
    return field ? `${field} ${issue.message}` : issue.message;
  });
  return `Invalid ${where}: ${parts.join('; ')}`;
}

/** Each zod issue at its dotted path, so the client marks the field without reading the message. */
export function issuesOf(error: z.ZodError): ErrorIssue[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}

const zodCompiler: FastifySchemaCompiler<ZodType> = ({ schema, httpPart }) => (data) => {
  const result = schema.safeParse(data);
  if (result.success) return { value: result.data };
  const message = describeIssues(result.error, httpPart ?? 'body');
  return { error: new HttpError(400, 'invalid_request', message, {}, httpPart === 'body' ? issuesOf(result.error) : []) };
};

/**
 * Every body, query and path parameter a route declares is parsed by its zod schema; JSON bodies
 * are first parsed by Fastify's own parser (which refuses `__proto__` and `constructor.prototype`
 * keys) and refused if they nest deeper than the route allows, before any handler or database
 * sees them. JSON.parse itself does not recurse, so any depth parses safely; code after it might.
 */
export function useZodValidation(app: FastifyInstance): void {
  app.setValidatorCompiler(zodCompiler);
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    void parseJson(request, typeof body === 'string' ? body : body.toString('utf8'), (error: Error | null, value?: unknown) => {
      if (error) {
        done(error, undefined);
        return;
      }
      const depth = request.routeOptions.config.jsonDepth ?? MAX_JSON_DEPTH;
      if (Number.isFinite(depth) && nestedDeeperThan(value, depth)) {
        done(new HttpError(400, 'invalid_json', `The request body nests more than ${depth} levels deep; nothing this app sends does.`), undefined);
        return;
      }
      done(null, value);
    });
  });
}

const FRAMEWORK_ERRORS: Record<string, { status: number; code: string; message: string }> = {
  FST_ERR_BAD_URL: { status: 400, code: 'bad_url', message: 'The address is not valid: it has a malformed %-escape.' },
  FST_ERR_MAX_PARAM_LENGTH: { status: 414, code: 'uri_too_long', message: 'A part of the address is too long.' },
};

/**
 * Fastify's errors from before a request reaches a route (a malformed %-escape in the path, a
 * parameter too long), which bypass the app's error handler: answered in the app's error shape,
 * never echoing the address back.
 */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const known = FRAMEWORK_ERRORS[error.code];
  if (!known) request.log.error({ err: error }, 'request failed before routing');
  void reply
    .code(known?.status ?? 500)
    .send(known ? errorBody(known.code, known.message) : errorBody('server_error', 'Something went wrong on the server.'));
}
