import type { FastifyInstance, FastifySchemaCompiler, FastifyTypeProvider } from 'fastify';
import type { z, ZodType } from 'zod';
import { HttpError } from './http-errors.ts';

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

const zodCompiler: FastifySchemaCompiler<ZodType> = ({ schema, httpPart }) => (data) => {
  const result = schema.safeParse(data);
  if (result.success) return { value: result.data };
  return { error: new HttpError(400, 'invalid_request', describeIssues(result.error, httpPart ?? 'body')) };
};

/** Every body, query and path parameter a route declares is parsed by its zod schema. */
export function useZodValidation(app: FastifyInstance): void {
  app.setValidatorCompiler(zodCompiler);
}
