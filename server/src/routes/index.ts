import type { FastifyInstance, FastifyPluginCallback, RouteShorthandOptions } from 'fastify';
import type { ZodType } from 'zod';
import type { EndpointSpec } from '../../../src/shared/api/endpoint.ts';
import { endpoints, type EndpointName } from '../../../src/shared/api/endpoints.ts';
import type { AppDeps } from '../app.ts';
import { contextOf, type HandlerContext, type Handlers } from '../endpoint-handlers.ts';
import { MAX_PLAN_FILE_BYTES } from '../../../src/shared/api/plans.ts';
import { MAX_STORED_PHOTO_BYTES } from '../../../src/shared/mutations.ts';
import { auditLogHandlers } from '../services/audit-log.ts';
import { coverageHandlers } from '../services/coverage.ts';
import { gapHandlers } from '../services/gaps.ts';
import { planHandlers } from '../services/plan-records.ts';
import { pushHandlers } from '../services/push.ts';
import { retentionHandlers } from '../services/retention.ts';
import { reviewHandlers } from '../services/review-read.ts';
import { scheduleHandlers } from '../services/schedules.ts';
import { templateHandlers } from '../services/templates.ts';
import { unitHandlers } from '../services/units.ts';
import { userHandlers } from '../services/users.ts';
import { auditCheckpointHandlers } from './audit.ts';
import { exportHandlers } from './export.ts';
import { healthHandlers } from './health.ts';
import { FILE_TYPES, planParseHandlers } from './plans.ts';
import { sessionHandlers } from './session.ts';
import { ssoHandlers } from './sso.ts';
import { BATCH_TYPES, BLOB_TYPES, MAX_PUSH_BYTES, syncHandlers } from './sync.ts';

/** What the server adds to an endpoint of the table: limits, and which raw types a file body may have. */
interface ServerOptions {
  bodyLimit?: number;
  /** The content types accepted as raw bytes, for an endpoint whose body is 'file'. */
  fileTypes?: readonly string[];
  /** The file body is handed to the handler as the request's stream, unread (it enforces its own limits as it reads). */
  stream?: boolean;
  config?: { jsonDepth?: number; duringPasswordChange?: boolean };
}

/**
 * Every endpoint's handler, from the services that own them (or, for the few that set cookies,
 * redirect or stream, from the route file beside this one). Total: an endpoint of the table
 * without a handler does not compile.
 */
const HANDLERS: Handlers<EndpointName> = {
  ...healthHandlers,
  ...sessionHandlers,
  ...ssoHandlers,
  ...userHandlers,
  ...unitHandlers,
  ...auditLogHandlers,
  ...auditCheckpointHandlers,
  ...retentionHandlers,
  ...planHandlers,
  ...planParseHandlers,
  ...reviewHandlers,
  ...coverageHandlers,
  ...gapHandlers,
  ...pushHandlers,
  ...exportHandlers,
  ...templateHandlers,
  ...scheduleHandlers,
  ...syncHandlers,
};

/** Open to a person who must still replace a one-time password: who am I, change it, sign out. */
const DURING_PASSWORD_CHANGE: ServerOptions = { config: { duringPasswordChange: true } };

const OPTIONS: Partial<Record<EndpointName, ServerOptions>> = {
  'session.me': DURING_PASSWORD_CHANGE,
  'session.changePassword': DURING_PASSWORD_CHANGE,
  'session.signOut': DURING_PASSWORD_CHANGE,
  // Uploaded plans arrive as raw bytes, whatever the browser calls their type.
  'plans.parse': { bodyLimit: MAX_PLAN_FILE_BYTES, fileTypes: FILE_TYPES },
  'blobs.put': { bodyLimit: MAX_STORED_PHOTO_BYTES, fileTypes: BLOB_TYPES },
  // Photos in batches: streamed to the blob store frame by frame, never held whole (services/photo-batches.ts).
  'blobs.putMany': { fileTypes: BATCH_TYPES, stream: true },
  // Any depth parses: each mutation's payload is bounded on its own (applyPush), so a deep one is refused alone.
  'sync.push': { bodyLimit: MAX_PUSH_BYTES, config: { jsonDepth: Number.POSITIVE_INFINITY } },
};

/** A handler of any endpoint: the table has already typed each against its own. */
type AnyHandler = (input: never, context: HandlerContext) => unknown;

const isSchema = (part: EndpointSpec['body']): part is ZodType => typeof part === 'object';

/** One endpoint as a Fastify route: validation and access from the table, the handler from its service. */
function register(app: FastifyInstance, deps: AppDeps, spec: EndpointSpec, handler: AnyHandler, options: ServerOptions): void {
  // Only the parts the endpoint declares: Fastify warns of a part given as undefined.
  const parts = { params: spec.params, querystring: spec.query, body: isSchema(spec.body) ? spec.body : undefined };
  const schema = Object.fromEntries(Object.entries(parts).filter(([, part]) => part !== undefined));
  const route: RouteShorthandOptions = {
    config: { access: spec.access, ...options.config },
    ...(Object.keys(schema).length === 0 ? {} : { schema }),
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

/** Registers every endpoint of the table; file bodies get a raw-bytes parser of their own. */
export function endpointRoutes(app: FastifyInstance, deps: AppDeps): void {
  for (const [name, spec] of Object.entries(endpoints) as [EndpointName, EndpointSpec][]) {
    const handler: AnyHandler = HANDLERS[name];
    const options = OPTIONS[name] ?? {};
    const { fileTypes } = options;
    if (spec.body !== 'file' || !fileTypes) {
      register(app, deps, spec, handler, options);
      continue;
    }
    const scoped: FastifyPluginCallback = (scope, _opts, done) => {
      if (options.stream) {
        scope.addContentTypeParser([...fileTypes], (_request, payload, next) => {
          next(null, payload);
        });
      } else {
        scope.addContentTypeParser([...fileTypes], { parseAs: 'buffer', bodyLimit: options.bodyLimit }, (_request, body, next) => {
          next(null, body);
        });
      }
      register(scope, deps, spec, handler, options);
      done();
    };
    void app.register(scoped);
  }
}
