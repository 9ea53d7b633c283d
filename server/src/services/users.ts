/**
 * People and their roles in an establishment: every read and write of users, memberships and
 * the units they look after, each change audited. The routes in routes/users.ts parse, authorise
 * and call these.
 */
import { randomBytes } from 'node:crypto';
import type { AddMemberRequest, UpdateUserRequest, UserSummary } from '../../../src/shared/api/admin.ts';
import type { Role } from '../../../src/shared/auth.ts';
import { newId } from '../../../src/shared/ids.ts';
import { auditAs, type Actor } from '../audit-request.ts';
import { hashPassword } from '../auth/passwords.ts';
import { revokeUserSessions, type AuthContext } from '../auth/sessions.ts';
import type { Db, Queryable } from '../db/client.ts';
import { conflict, fieldError, passwordsOff } from '../http-errors.ts';
import { notInMyEstablishment } from '../scope.ts';
import { readBack } from './read-back.ts';
import { handlers } from '../endpoint-handlers.ts';

export async function listUsers(db: Queryable, establishmentId: string, userId?: string): Promise<UserSummary[]> {
  const rows = await db.query<{
    id: string;
    username: string;
    display_name: string;
    job_title: string | null;
    roles: Role[];
    unit_ids: string[];
    disabled: boolean;
  }>(
    `SELECT u.id, u.username, u.display_name, u.job_title, array_agg(m.role ORDER BY m.role) AS roles,
            ARRAY(SELECT uu.unit_id FROM user_units uu JOIN units un ON un.id = uu.unit_id
                  WHERE uu.user_id = u.id AND un.establishment_id = $1 ORDER BY un.name) AS unit_ids,
            u.disabled_at IS NOT NULL AS disabled
     FROM users u JOIN memberships m ON m.user_id = u.id AND m.establishment_id = $1
     WHERE ($2::uuid IS NULL OR u.id = $2::uuid)
     GROUP BY u.id ORDER BY u.display_name, u.username`,
    [establishmentId, userId ?? null],
  );
  return rows.map((r) => ({
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    jobTitle: r.job_title,
    roles: r.roles,
    unitIds: r.unit_ids,
    disabled: r.disabled,
  }));
}

/**
 * The user, if they work in the admin's establishment. One who exists only elsewhere is another
 * establishment's business: 403, not a way to edit them.
 */
export async function userInMyEstablishment(db: Queryable, auth: AuthContext, id: string): Promise<UserSummary> {
  const [user] = await listUsers(db, auth.establishmentId, id);
  if (user) return user;
  throw await notInMyEstablishment(db, 'users', id, 'User', 'That person does not work in your establishment.');
}

async function setRoles(tx: Queryable, userId: string, establishmentId: string, roles: readonly Role[]): Promise<void> {
  await tx.query('DELETE FROM memberships WHERE user_id = $1 AND establishment_id = $2', [userId, establishmentId]);
  for (const role of new Set(roles)) {
    await tx.query('INSERT INTO memberships (user_id, establishment_id, role) VALUES ($1, $2, $3)', [userId, establishmentId, role]);
  }
}

/** Sets the units a person looks after in this establishment; units of another are refused. */
async function setUnits(tx: Queryable, userId: string, establishmentId: string, unitIds: readonly string[]): Promise<void> {
  const mine = await tx.query<{ id: string }>('SELECT id FROM units WHERE establishment_id = $1 AND id = ANY($2::uuid[])', [
    establishmentId,
    [...unitIds],
  ]);
  if (mine.length !== new Set(unitIds).size) throw fieldError('unitIds', 'one of the units is not in your establishment.');
  await tx.query('DELETE FROM user_units WHERE user_id = $1 AND unit_id IN (SELECT id FROM units WHERE establishment_id = $2)', [
    userId,
    establishmentId,
  ]);
  for (const unitId of new Set(unitIds)) {
    await tx.query('INSERT INTO user_units (user_id, unit_id) VALUES ($1, $2)', [userId, unitId]);
  }
}

export interface NewUser {
  username: string;
  displayName: string;
  jobTitle: string | null;
  /** One-time; required while passwords are on, refused while they are off. */
  password?: string | undefined;
  roles: Role[];
  unitIds: string[];
}

/** A new person in the actor's establishment, with a one-time password (or none, when passwords are off). */
export async function createUser(db: Db, actor: Actor, input: NewUser, passwords: boolean): Promise<UserSummary> {
  const { username, displayName, jobTitle, password, roles, unitIds } = input;
  if (passwords && password === undefined) throw fieldError('password', 'is required');
  if (!passwords && password !== undefined) throw fieldError('password', 'passwords are switched off on this server: people sign in with single sign-on');
  const [taken] = await db.query('SELECT 1 FROM users WHERE username = $1', [username]);
  if (taken) throw conflict('That username is taken. Choose another.');
  const id = newId();
  // With passwords off, a hash of random bytes nobody knows: the account signs in through the provider only.
  const passwordHash = await hashPassword(password ?? randomBytes(32).toString('base64url'));
  await db.transaction(async (tx) => {
    // The admin knows it: a one-time password, replaced at the person's first sign-in.
    await tx.query(
      'INSERT INTO users (id, username, display_name, job_title, password_hash, must_change_password) VALUES ($1, $2, $3, $4, $5, $6)',
      [id, username, displayName, jobTitle, passwordHash, passwords],
    );
    await setRoles(tx, id, actor.auth.establishmentId, roles);
    await setUnits(tx, id, actor.auth.establishmentId, unitIds);
    await auditAs(tx, actor, {
      action: 'user.create',
      entityType: 'user',
      entityId: id,
      details: { username, displayName, jobTitle, roles, unitIds },
    });
  });
  return readBack(listUsers(db, actor.auth.establishmentId, id), `user ${id}`);
}

/**
 * A duty governor covering several prisons in a group keeps one account: an admin here gives
 * them roles here too. Their password, name and other establishments stay as they are.
 */
export async function addMember(db: Db, actor: Actor, input: AddMemberRequest): Promise<UserSummary> {
  const { username, roles, unitIds } = input;
  const here = actor.auth.establishmentId;
  const [user] = await db.query<{ id: string; disabled: boolean; here: boolean }>(
    `SELECT u.id, u.disabled_at IS NOT NULL AS disabled,
            EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = u.id AND m.establishment_id = $2) AS here
     FROM users u WHERE u.username = $1`,
    [username, here],
  );
  if (!user) throw fieldError('username', 'nobody has that username. Check it with the person, or add them as a new user.', 404, 'not_found');
  if (user.here) throw conflict('That person already works in your establishment: change their roles in the list.');
  if (user.disabled) throw conflict('That account is disabled. Ask an admin of their establishment about it.');
  await db.transaction(async (tx) => {
    await setRoles(tx, user.id, here, roles);
    await setUnits(tx, user.id, here, unitIds);
    await auditAs(tx, actor, {
      action: 'user.add-to-establishment',
      entityType: 'user',
      entityId: user.id,
      details: { username, roles, unitIds },
    });
  });
  return readBack(listUsers(db, here, user.id), `user ${user.id}`);
}

/** Changes a person of this establishment; an admin cannot take their own admin role away or disable themselves. */
export async function updateUser(db: Db, actor: Actor, id: string, changes: UpdateUserRequest): Promise<UserSummary> {
  const { auth, now } = actor;
  const before = await userInMyEstablishment(db, auth, id);
  const { displayName, jobTitle, roles, unitIds, disabled } = changes;
  if (id === auth.userId && ((roles && !roles.includes('admin')) || disabled === true)) {
    throw conflict('You cannot remove your own admin role or disable yourself: ask another admin.');
  }
  await db.transaction(async (tx) => {
    if (displayName !== undefined) await tx.query('UPDATE users SET display_name = $2 WHERE id = $1', [id, displayName]);
    if (jobTitle !== undefined) await tx.query('UPDATE users SET job_title = $2 WHERE id = $1', [id, jobTitle]);
    if (roles) await setRoles(tx, id, auth.establishmentId, roles);
    if (unitIds) await setUnits(tx, id, auth.establishmentId, unitIds);
    if (disabled !== undefined) {
      await tx.query('UPDATE users SET disabled_at = $2 WHERE id = $1', [id, disabled ? now : null]);
      if (disabled) await revokeUserSessions(tx, id, now);
    }
    await auditAs(tx, actor, {
      action: 'user.update',
      entityType: 'user',
      entityId: id,
      details: { before, changes },
    });
  });
  return readBack(listUsers(db, auth.establishmentId, id), `user ${id}`);
}

/** A new one-time password for a person of this establishment, which ends all their sessions. */
export async function resetPassword(db: Db, actor: Actor, id: string, password: string, passwords: boolean): Promise<void> {
  if (!passwords) throw passwordsOff();
  await userInMyEstablishment(db, actor.auth, id);
  const passwordHash = await hashPassword(password);
  await db.transaction(async (tx) => {
    // Known to the admin who set it: one-time, replaced at the next sign-in.
    await tx.query('UPDATE users SET password_hash = $2, must_change_password = true WHERE id = $1', [id, passwordHash]);
    // A reset password means the old one may be known: end every session that used it.
    await revokeUserSessions(tx, id, actor.now);
    await auditAs(tx, actor, { action: 'user.reset-password', entityType: 'user', entityId: id, details: {} });
  });
}

export const userHandlers = handlers({
  'users.list': (_, { deps, auth }) => listUsers(deps.db, auth().establishmentId),
  'users.create': ({ body }, { deps, actor }) => {
    const { jobTitle = null, ...rest } = body;
    return createUser(deps.db, actor(), { ...rest, jobTitle }, deps.signIn.localPasswords);
  },
  'users.addMember': ({ body }, { deps, actor }) => addMember(deps.db, actor(), body),
  'users.update': ({ params, body }, { deps, actor }) => updateUser(deps.db, actor(), params.id, body),
  'users.resetPassword': async ({ params, body }, { deps, actor }) => {
    await resetPassword(deps.db, actor(), params.id, body.password, deps.signIn.localPasswords);
  },
});
