import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AddMemberRequest, CreateUserRequest, IdParams, ResetPasswordRequest, UpdateUserRequest } from '../../../src/shared/api/admin.ts';
import type { AppDeps } from '../app.ts';
import { actorOf } from '../audit-request.ts';
import { authOf } from '../auth/guard.ts';
import { addMember, createUser, listUsers, resetPassword, updateUser } from '../services/users.ts';
import type { ZodTypeProvider } from '../validation.ts';

const ADMIN = { access: ['admin'] as const };

export function userRoutes(app: FastifyInstance, deps: AppDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const actor = (request: FastifyRequest) => actorOf(request, deps.clock);
  const passwords = deps.signIn.localPasswords;

  api.get('/api/users', { config: ADMIN }, async (request) => listUsers(deps.db, authOf(request).establishmentId));

  api.post('/api/users', { config: ADMIN, schema: { body: CreateUserRequest } }, async (request, reply) => {
    const { jobTitle = null, ...rest } = request.body;
    return reply.code(201).send(await createUser(deps.db, actor(request), { ...rest, jobTitle }, passwords));
  });

  api.post('/api/users/memberships', { config: ADMIN, schema: { body: AddMemberRequest } }, async (request, reply) =>
    reply.code(201).send(await addMember(deps.db, actor(request), request.body)));

  api.patch('/api/users/:id', { config: ADMIN, schema: { params: IdParams, body: UpdateUserRequest } }, async (request) =>
    updateUser(deps.db, actor(request), request.params.id, request.body));

  api.put(
    '/api/users/:id/password',
    { config: ADMIN, schema: { params: IdParams, body: ResetPasswordRequest } },
    async (request, reply) => {
      await resetPassword(deps.db, actor(request), request.params.id, request.body.password, passwords);
      return reply.code(204).send();
    },
  );
}
