import type { FastifyInstance, FastifyPluginCallback, RouteShorthandOptions } from 'fastify';
import type { ZodType } from 'zod';
import type { EndpointSpec } from '../../../src/shared/api/endpoint.ts';
import { endpoints, type EndpointName } from '../../../src/shared/api/endpoints.ts';
import type { AppDeps } from '../app.ts';
import { contextOf, type HandlerContext, type Handlers } from '../endpoint-handlers.ts';
import { unitHandlers } from '../services/units.ts';

/** What the server adds to an endpoint of the table: limits, and which raw types a file body may have. */
interface ServerOptions {
  bodyLimit?: number;
  /** The content types accepted as raw bytes, for an endpoint whose body is 'file'. */
  fileTypes?: readonly string[];
  config?: { jsonDepth?: number; duringPasswordChange?: boolean };
}

/** Every endpoint's handler, from the services that own them. */
const HANDLERS: Partial<Handlers<EndpointName>> = {
  ...unitHandlers,
};

const OPTIONS: Partial<Record<EndpointName, ServerOptions>> = {};

/** A handler of any endpoint: the table has already typed each against its own. */
type AnyHandler = (input: never, context: HandlerContext) => unknown;

const isSchema = (part: EndpointSpec['body']): part is ZodType => typeof part === 'object';

/** One endpoint as a Fastify route: validation and access from the table, the handler from its service. */
function register(app: FastifyInstance, deps: AppDeps, spec: EndpointSpec, handler: AnyHandler, options: ServerOptions): void {
  const route: RouteShorthandOptions = {
    config: { access: spec.access, ...options.config },
    schema: { params: spec.params, querystring: spec.query, body: isSchema(spec.body) ? spec.body : undefined },
    ...(options.bodyLimit === undefined ? {} : { bodyLimit: options.bodyLimit }),
  };
  app.route({
    method: spec.method,
    url: spec.path,
    ...route,
    handler: async (request, reply) => {
      const input = { params: request.params, query: request.query, body: request.body };
      // The route's schemas parsed each part just as the handler's type says.
      const answer: unknown = await handler(input as never, contextOf(deps, request, reply));
      if (answer === reply) return reply;
      if (spec.status) void reply.code(spec.status);
      return spec.response === 'none' ? reply.send() : answer;
    },
  });
}

/** Registers every endpoint of the table that has a handler; file bodies get a raw-bytes parser of their own. */
export function endpointRoutes(app: FastifyInstance, deps: AppDeps): void {
  for (const [name, spec] of Object.entries(endpoints) as [EndpointName, EndpointSpec][]) {
    const handler = HANDLERS[name];
    if (!handler) continue;
    const options = OPTIONS[name] ?? {};
    const { fileTypes } = options;
    if (spec.body !== 'file' || !fileTypes) {
      register(app, deps, spec, handler, options);
      continue;
    }
    const scoped: FastifyPluginCallback = (scope, _opts, done) => {
      scope.addContentTypeParser([...fileTypes], { parseAs: 'buffer', bodyLimit: options.bodyLimit }, (_request, body, next) => {
        next(null, body);
      });
      register(scope, deps, spec, handler, options);
      done();
    };
    void app.register(scoped);
  }
}
