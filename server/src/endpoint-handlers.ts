import type { FastifyReply, FastifyRequest } from 'fastify';
import type { EndpointName, Endpoints } from '../../src/shared/api/endpoints.ts';
import type { EndpointSpec, ParsedRequestOf, ReplyOf } from '../../src/shared/api/endpoint.ts';
import type { AppDeps } from './app.ts';
import { actorOf, type Actor } from './audit-request.ts';
import { authOf } from './auth/guard.ts';
import type { AuthContext } from './auth/sessions.ts';

/** What a handler has besides its parsed input: the server's parts and who is asking. */
export interface HandlerContext {
  deps: AppDeps;
  /** The signed-in session; throws 401 on a public endpoint without one. */
  auth: () => AuthContext;
  /** The signed-in person as services take them: session, device and the time now. */
  actor: () => Actor;
  /** For the few endpoints that set cookies, headers or stream a file. */
  request: FastifyRequest;
  reply: FastifyReply;
}

/**
 * One endpoint's handler: input already parsed and the caller already authorised from the table
 * (src/shared/api/endpoints.ts), so it only calls a service. It answers the response (sent with
 * the table's status) or, having sent something itself, the reply.
 */
export type Handler<E extends EndpointSpec> = (
  input: ParsedRequestOf<E>,
  context: HandlerContext,
) => Promise<ReplyOf<E> | FastifyReply> | ReplyOf<E> | FastifyReply;

export type Handlers<K extends EndpointName> = { [N in K]: Handler<Endpoints[N]> };

/** A service's handlers, typed by the endpoints they are named for. */
export const handlers = <K extends EndpointName>(map: Handlers<K>): Handlers<K> => map;

export function contextOf(deps: AppDeps, request: FastifyRequest, reply: FastifyReply): HandlerContext {
  return { deps, request, reply, auth: () => authOf(request), actor: () => actorOf(request, deps.clock) };
}
